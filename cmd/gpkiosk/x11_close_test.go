package main

import (
	"encoding/binary"
	"fmt"
	"io"
	"time"
)

// askToClose sends win the ICCCM WM_DELETE_WINDOW message, as a window
// manager does when someone presses the close button or Alt+F4. The tests'
// Xvfb has no window manager, and xdotool can only destroy a window
// outright, so the message is sent directly.
func (x *xScreen) askToClose(win uint32) error {
	protocols, err := x.internAtom("WM_PROTOCOLS")
	if err != nil {
		return err
	}
	deleteWindow, err := x.internAtom("WM_DELETE_WINDOW")
	if err != nil {
		return err
	}
	req := make([]byte, 44)
	req[0] = 25 // SendEvent, propagate false
	binary.LittleEndian.PutUint16(req[2:], 11)
	binary.LittleEndian.PutUint32(req[4:], win)
	binary.LittleEndian.PutUint32(req[8:], 0) // no event mask: to the window's owner
	ev := req[12:]
	ev[0] = 33 // ClientMessage
	ev[1] = 32 // format
	binary.LittleEndian.PutUint32(ev[4:], win)
	binary.LittleEndian.PutUint32(ev[8:], protocols)
	binary.LittleEndian.PutUint32(ev[12:], deleteWindow)
	binary.LittleEndian.PutUint32(ev[16:], 0) // CurrentTime
	_ = x.conn.SetDeadline(time.Now().Add(10 * time.Second))
	defer x.conn.SetDeadline(time.Time{})
	if _, err := x.conn.Write(req); err != nil {
		return fmt.Errorf("send WM_DELETE_WINDOW: %w", err)
	}
	// SendEvent has no reply; a round trip (another InternAtom) makes sure
	// the server has taken it, and surfaces an error if it did not.
	if _, err := x.internAtom("WM_PROTOCOLS"); err != nil {
		return fmt.Errorf("send WM_DELETE_WINDOW: %w", err)
	}
	return nil
}

func (x *xScreen) internAtom(name string) (uint32, error) {
	pad := (4 - len(name)%4) % 4
	req := make([]byte, 8+len(name)+pad)
	req[0] = 16 // InternAtom, only-if-exists false
	binary.LittleEndian.PutUint16(req[2:], uint16(len(req)/4))
	binary.LittleEndian.PutUint16(req[4:], uint16(len(name)))
	copy(req[8:], name)
	_ = x.conn.SetDeadline(time.Now().Add(10 * time.Second))
	defer x.conn.SetDeadline(time.Time{})
	if _, err := x.conn.Write(req); err != nil {
		return 0, fmt.Errorf("InternAtom %s: %w", name, err)
	}
	for {
		var head [32]byte
		if _, err := io.ReadFull(x.r, head[:]); err != nil {
			return 0, fmt.Errorf("InternAtom %s: %w", name, err)
		}
		switch head[0] {
		case 0:
			return 0, fmt.Errorf("InternAtom %s: X error %d", name, head[1])
		case 1:
			return binary.LittleEndian.Uint32(head[8:12]), nil
		}
		// An event; skip it.
	}
}
