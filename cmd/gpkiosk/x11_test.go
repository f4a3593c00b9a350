package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net"
	"os"
	"strings"
	"time"
)

// xScreen is a minimal X11 client for the benchmarks: it reads the screen's
// pixels (GetImage of the root window) in a few milliseconds, where
// ImageMagick's `import` takes 75 ms or more, so it can watch a window
// appear and settle without blurring the timings. It speaks just enough of
// the core protocol for that: the connection set-up and GetImage.
type xScreen struct {
	conn   net.Conn
	r      *bufio.Reader
	root   uint32
	width  int
	height int
	req    [20]byte
}

// dialX connects to an X server on this machine, e.g. display ":7". Xvfb
// as the tests start it accepts local connections without authorisation,
// as xdotool's use of it shows.
func dialX(display string) (*xScreen, error) {
	num, ok := strings.CutPrefix(display, ":")
	if !ok {
		return nil, fmt.Errorf("display %q: only local displays like :7", display)
	}
	num, _, _ = strings.Cut(num, ".")
	conn, err := net.DialTimeout("unix", "/tmp/.X11-unix/X"+num, 5*time.Second)
	if err != nil {
		return nil, fmt.Errorf("connect to X display %s: %w", display, err)
	}
	x := &xScreen{conn: conn, r: bufio.NewReaderSize(conn, 1<<16)}
	if err := x.setup(); err != nil {
		conn.Close()
		return nil, fmt.Errorf("X display %s: %w", display, err)
	}
	return x, nil
}

func (x *xScreen) Close() error { return x.conn.Close() }

func (x *xScreen) setup() error {
	// Little-endian, protocol 11.0, no authorisation.
	hello := []byte{'l', 0, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	_ = x.conn.SetDeadline(time.Now().Add(10 * time.Second))
	defer x.conn.SetDeadline(time.Time{})
	if _, err := x.conn.Write(hello); err != nil {
		return err
	}
	var head [8]byte
	if _, err := io.ReadFull(x.r, head[:]); err != nil {
		return err
	}
	more := make([]byte, 4*int(binary.LittleEndian.Uint16(head[6:8])))
	if _, err := io.ReadFull(x.r, more); err != nil {
		return err
	}
	if head[0] != 1 {
		n := min(int(head[1]), len(more))
		return fmt.Errorf("connection refused: %s", more[:n])
	}
	// The fixed part is 32 bytes; then the vendor string (padded to 4),
	// the pixmap formats (8 bytes each), then the first screen.
	if len(more) < 32 {
		return errors.New("short set-up reply")
	}
	vendor := int(binary.LittleEndian.Uint16(more[16:18]))
	formats := int(more[21])
	off := 32 + (vendor+3)&^3 + 8*formats
	if len(more) < off+24 {
		return errors.New("short set-up reply")
	}
	x.root = binary.LittleEndian.Uint32(more[off:])
	x.width = int(binary.LittleEndian.Uint16(more[off+20:]))
	x.height = int(binary.LittleEndian.Uint16(more[off+22:]))
	return nil
}

// shot is the screen's pixels, 4 bytes each (blue, green, red, unused) for
// the 24-bit screens the tests' Xvfb has.
type shot struct {
	w, h int
	pix  []byte
}

// capture reads the whole screen (GetImage, ZPixmap). It reuses dst's
// buffer when it can.
func (x *xScreen) capture(dst *shot) error {
	q := x.req[:]
	q[0] = 73 // GetImage
	q[1] = 2  // ZPixmap
	binary.LittleEndian.PutUint16(q[2:], 5)
	binary.LittleEndian.PutUint32(q[4:], x.root)
	binary.LittleEndian.PutUint32(q[8:], 0) // x, y
	binary.LittleEndian.PutUint16(q[12:], uint16(x.width))
	binary.LittleEndian.PutUint16(q[14:], uint16(x.height))
	binary.LittleEndian.PutUint32(q[16:], 0xffffffff)
	_ = x.conn.SetDeadline(time.Now().Add(10 * time.Second))
	defer x.conn.SetDeadline(time.Time{})
	if _, err := x.conn.Write(q); err != nil {
		return err
	}
	for {
		var head [32]byte
		if _, err := io.ReadFull(x.r, head[:]); err != nil {
			return err
		}
		switch head[0] {
		case 0:
			return fmt.Errorf("GetImage: X error %d", head[1])
		case 1:
			n := 4 * int(binary.LittleEndian.Uint32(head[4:8]))
			if n != 4*x.width*x.height {
				return fmt.Errorf("GetImage: %d bytes for a %dx%d screen: not a 32-bit-per-pixel screen", n, x.width, x.height)
			}
			if cap(dst.pix) < n {
				dst.pix = make([]byte, n)
			}
			dst.pix = dst.pix[:n]
			dst.w, dst.h = x.width, x.height
			_, err := io.ReadFull(x.r, dst.pix)
			return err
		default:
			// An event; we select none, but skip any that arrive.
		}
	}
}

func (s *shot) clone() *shot {
	return &shot{w: s.w, h: s.h, pix: append([]byte(nil), s.pix...)}
}

// differing is the fraction of pixels that differ between two shots of the
// same screen.
func (s *shot) differing(o *shot) float64 {
	if o == nil || s.w != o.w || s.h != o.h {
		return 1
	}
	n := 0
	stride := 4 * s.w
	for y := range s.h {
		a, b := s.pix[y*stride:(y+1)*stride], o.pix[y*stride:(y+1)*stride]
		if bytes.Equal(a, b) {
			continue
		}
		for i := 0; i < stride; i += 4 {
			if a[i] != b[i] || a[i+1] != b[i+1] || a[i+2] != b[i+2] {
				n++
			}
		}
	}
	return float64(n) / float64(s.w*s.h)
}

// colours counts distinct colours, stopping at limit.
func (s *shot) colours(limit int) int {
	seen := map[uint32]struct{}{}
	for i := 0; i+3 < len(s.pix); i += 4 {
		seen[uint32(s.pix[i])|uint32(s.pix[i+1])<<8|uint32(s.pix[i+2])<<16] = struct{}{}
		if len(seen) >= limit {
			break
		}
	}
	return len(seen)
}

// writePNG saves the shot, for a failure message to point at.
func (s *shot) writePNG(path string) error {
	img := image.NewRGBA(image.Rect(0, 0, s.w, s.h))
	for y := range s.h {
		for x := range s.w {
			i := 4 * (y*s.w + x)
			img.SetRGBA(x, y, color.RGBA{R: s.pix[i+2], G: s.pix[i+1], B: s.pix[i], A: 255})
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
