package app

import (
	"context"
	"database/sql"
	ctxpkg "context"
	"net/http"
	"os"
	"time"

	"example.com/sema/lib"
	. "strings"
)

type server struct {
	db    *sql.DB
	c     *lib.Client
	count int
}

type embeds struct {
	*server
	mu int
}

var global = map[string][]byte{} //@ global map[string][]byte

func (s *server) rows(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, "select 1") //@ rows *database/sql.Rows; err error; s *example.com/sema/app.server
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
	}
	return rows.Err() //@ rows -> 29
}

func shadow() {
	x := 1 //@ x int
	{
		x := "s" //@ x string
		_ = x    //@ x -> 42
	}
	x, y := 2, 3.5 //@ x -> 40; y float64
	_ = x + int(y) //@ x -> 40
	x = x + 1      //@ x -> 40
	var z = x      //@ z int
	_ = z
}

func fetch(u string) {
	c := lib.New()        //@ c *example.com/sema/lib.Client
	resp, err := c.Fetch(u) //@ resp *net/http.Response; err error
	if err != nil {
		return
	}
	body := resp.Body //@ body io.ReadCloser
	_ = body
	r2, _ := http.Get(u) //@ r2 *net/http.Response
	_ = r2.StatusCode    //@ r2 -> 60
	cl := &http.Client{Timeout: time.Second} //@ cl *net/http.Client
	r3, _ := cl.Do(nil)                     //@ r3 *net/http.Response
	_ = r3
}

func ctxs() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second) //@ ctx context.Context; cancel context.CancelFunc
	defer cancel()
	c2, cancel2 := ctxpkg.WithCancel(ctx) //@ c2 context.Context; cancel2 context.CancelFunc
	_ = c2
	cancel2()
	tk := time.NewTicker(time.Second) //@ tk *time.Ticker
	ch := tk.C                        //@ ch <-chan time.Time
	_ = ch
	f, _ := os.Open("x") //@ f *os.File
	_ = f
	_ = ToUpper("dot") //@ ToUpper -> strings
}

func makes() {
	a := make(chan int)          //@ a chan int
	b := make(chan error, 3)     //@ b chan error
	c := make([]byte, 0, 10)     //@ c []byte
	var arr [lib.Buf]int         //@ arr [16]int
	e := embeds{}                //@ e example.com/sema/app.embeds
	_ = e.db                     //@ e -> 86
	n := len(c)                  //@ n int
	for i, v := range c {        //@ i int; v byte
		_, _ = i, v
	}
	for k, v := range global { //@ k string; v []byte
		_, _ = k, v
	}
	for v := range a { //@ v int
		_ = v
	}
	for i := range 10 { //@ i int
		_ = i
	}
	p := lib.Pair[string, int]{Key: "k"} //@ p example.com/sema/lib.Pair
	_, _, _, _ = a, b, arr, n
	_ = p
	var fn func() (int, error) //@ fn func() (int, error)
	q, err := fn()             //@ q int; err error
	_, _ = q, err
loop:
	for {
		break loop //@ loop -> 107
	}
	goto done //@ done -> 112
done:
}

func switches(v any) {
	switch t := v.(type) {
	case *os.File:
		_ = t //@ t -> 116
	}
}

var mine = lib.Conf //@ mine struct{...}

var mineName = mine.Name //@ mineName string
