package theme

import (
	"image/color"
	"math"
)

// luminance is WCAG 2.x relative luminance of an opaque colour.
func luminance(c color.Color) float64 {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(n.R) + 0.7152*lin(n.G) + 0.0722*lin(n.B)
}

// ContrastRatio is the WCAG 2.x contrast ratio of two opaque colours, from
// 1 to 21. WCAG 2.2 AA asks 3:1 for the edges of controls, focus
// indicators and states, 4.5:1 for text; the kiosk holds text to 7:1.
func ContrastRatio(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}
