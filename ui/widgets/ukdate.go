package widgets

import (
	"fmt"
	"strconv"
	"strings"

	"gpkiosk/store"
)

// ParseUKDate reads a date as people at a British front desk type it:
// 15/03/1946, 15-3-1946 or 15.03.1946. The date must exist.
func ParseUKDate(s string) (store.Date, bool) {
	parts := strings.FieldsFunc(strings.TrimSpace(s), func(r rune) bool { return r == '/' || r == '-' || r == '.' || r == ' ' })
	// Eight digits and nothing else is day, month and year typed without
	// separators, as a receptionist reading a form often types it.
	if len(parts) == 1 && len(parts[0]) == 8 {
		p := parts[0]
		parts = []string{p[:2], p[2:4], p[4:]}
	}
	if len(parts) != 3 || len(parts[2]) != 4 {
		return store.Date{}, false
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil {
			return store.Date{}, false
		}
		n[i] = v
	}
	d, err := store.ParseDate(fmt.Sprintf("%04d-%02d-%02d", n[2], n[1], n[0]))
	return d, err == nil
}
