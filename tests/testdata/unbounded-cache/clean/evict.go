package clean

func Logout(token string) {
	mu.Lock()
	delete(byToken, token)
	mu.Unlock()
}
