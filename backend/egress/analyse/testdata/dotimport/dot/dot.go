package dot

import . "net/http"

// page has a field and a method named like net/http's functions: neither
// is a reference to them.
type page struct{ Get int }

func (p page) Head() int { return p.Get }

func Fetch(url string) (*Response, error) {
	_ = page{Get: 1}.Head()
	return Get(url)
}
