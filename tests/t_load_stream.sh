#!/usr/bin/env bash
# lh_load_each keeps memory flat: on a generated module of 2,000 packages
# of 5 files (~55 MB of Go), tests/loadstream/loadstream.c walks it with
# lh_load_each and, for comparison, loads it whole with lh_load_packages.
# Both must see the same packages, files, bytes and declarations; the
# stream's order must be the same with 1 and 2 threads and put every
# package after its imports (the packages form a chain 2,000 deep and a
# fan-in); the stream's peak RSS must be under a third of the whole load's
# and under 256 MB (here the whole load peaks near 850 MB, the stream near
# 20 MB). Ratios and a loose ceiling, never timings. Under AddressSanitizer
# (whose quarantine keeps freed memory) only the first checks run, on 300
# packages.
set -euo pipefail
: "${LH_BUILD:?}"

drv=$LH_BUILD/lh_loadstream
[ -x "$drv" ] || { echo "t_load_stream: no $drv (build the project first)" >&2; exit 1; }
work=$LH_BUILD/load_stream
sanitized=$("$drv" --sanitized)
if [ "$sanitized" = 1 ]; then npkg=${LH_LOAD_STREAM_PKGS:-300}; else npkg=${LH_LOAD_STREAM_PKGS:-2000}; fi
nfile=5
nfunc=11

# The module: package pN imports p(N-1) (a chain 2,000 deep: nothing in
# the order may recurse per package) and p(N/2); every file holds nfunc
# functions with loops, closures, defers, switches and a struct type each
# (~5.5 kB). Regenerated only when missing or of another size.
if [ "$(cat "$work/.made" 2>/dev/null)" != "$npkg $nfile $nfunc" ]; then
    rm -rf "$work"
    mkdir -p "$work"
    printf 'module example.com/big\n\ngo 1.22\n' > "$work/go.mod"
    (cd "$work" && seq -f 'p%g' 0 $((npkg - 1)) | xargs mkdir -p)
    awk -v root="$work" -v npkg="$npkg" -v nfile="$nfile" -v nfunc="$nfunc" 'BEGIN {
        for (p = 0; p < npkg; p++) {
            for (f = 0; f < nfile; f++) {
                file = sprintf("%s/p%d/f%d.go", root, p, f)
                printf "// Code generated for t_load_stream. DO NOT EDIT.\n\n" > file
                printf "package p%d\n\nimport (\n\t\"errors\"\n\t\"fmt\"\n", p > file
                if (f == 0 && p > 0) {
                    printf "\n\tprev \"example.com/big/p%d\"\n", p - 1 > file
                    if (int(p / 2) != p - 1)
                        printf "\thalf \"example.com/big/p%d\"\n", int(p / 2) > file
                }
                printf ")\n\n" > file
                if (f == 0 && p > 0) {
                    printf "var _ = prev.F0_0\n" > file
                    if (int(p / 2) != p - 1)
                        printf "var _ = half.F0_0\n" > file
                    printf "\n" > file
                }
                for (i = 0; i < nfunc; i++) {
                    printf "// T%d_%d is what F%d_%d builds.\n", f, i, f, i > file
                    printf "type T%d_%d struct {\n\tA int\n\tB string\n\tC []byte\n}\n\n", f, i > file
                    printf "// F%d_%d sums xs and files the odd ones in m.\n", f, i > file
                    printf "func F%d_%d(xs []int, m map[string]int) (int, error) {\n", f, i > file
                    printf "\ttotal := 0\n\tfor i, x := range xs {\n\t\tif x%%%d == 0 {\n", i + 2 > file
                    printf "\t\t\ttotal += x * i\n\t\t} else {\n\t\t\tm[fmt.Sprint(x)] = total\n\t\t}\n\t}\n" > file
                    printf "\ts := &T%d_%d{A: total, B: \"p%d\", C: make([]byte, 0, %d)}\n", f, i, p, i > file
                    printf "\tdefer func() { s.A++ }()\n\tswitch total %% 3 {\n\tcase 0:\n\t\treturn s.A, nil\n" > file
                    printf "\tcase 1:\n\t\treturn len(s.B), errors.New(\"one\")\n\t}\n\treturn total, nil\n}\n\n" > file
                }
                close(file)
            }
        }
    }'
    echo "$npkg $nfile $nfunc" > "$work/.made"
fi
bytes=$(du -sb "$work" | cut -f1)
echo "t_load_stream: $npkg packages, $((npkg * nfile)) files, $((bytes / 1048576)) MB under $work"

field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }
status=0
whole=$(cd "$work" && "$drv" --whole -j2 ./...)
stream2=$(cd "$work" && "$drv" -j2 ./...)
stream1=$(cd "$work" && "$drv" -j1 ./...)
echo "  $whole"
echo "  $stream2"
echo "  $stream1"

for f in pkgs files bytes syntax errors decls; do
    if [ "$(field $f "$whole")" != "$(field $f "$stream2")" ]; then
        echo "t_load_stream: FAIL: $f differs between the whole load and the stream" >&2
        status=1
    fi
done
[ "$(field pkgs "$stream2")" = "$npkg" ] || { echo "t_load_stream: FAIL: not $npkg packages" >&2; status=1; }
[ "$(field visited "$stream2")" = "$npkg" ] || { echo "t_load_stream: FAIL: not $npkg visited" >&2; status=1; }
[ "$(field syntax "$stream2")" = 0 ] || { echo "t_load_stream: FAIL: syntax errors in generated code" >&2; status=1; }
if [ "$(field order "$stream1")" != "$(field order "$stream2")" ]; then
    echo "t_load_stream: FAIL: the visit order depends on the number of threads" >&2
    status=1
fi
if [ "$(field late_go "$stream2")" != 0 ]; then
    echo "t_load_stream: FAIL: packages visited before their imports" >&2
    status=1
fi

if [ "$sanitized" = 1 ]; then
    [ $status -eq 0 ] && echo "t_load_stream: OK (AddressSanitizer build: peak RSS not compared)"
    exit $status
fi
w=$(field maxrss_kb "$whole")
s=$(field maxrss_kb "$stream2")
echo "t_load_stream: peak RSS whole $((w / 1024)) MB, stream $((s / 1024)) MB (ratio $((w / (s > 0 ? s : 1))))"
if [ $((s * 3)) -ge "$w" ]; then
    echo "t_load_stream: FAIL: streaming peak RSS is not under a third of the whole load's" >&2
    status=1
fi
if [ "$s" -ge $((256 * 1024)) ]; then
    echo "t_load_stream: FAIL: streaming peak RSS of $((s / 1024)) MB is over 256 MB" >&2
    status=1
fi
[ $status -eq 0 ] && echo "t_load_stream: OK"
exit $status
