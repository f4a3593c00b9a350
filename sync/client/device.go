package client

import (
	"context"
	"fmt"

	"gpkiosk/store/replica"
	gpsync "gpkiosk/sync"
)

// EnrolDevice enrols this device with the server e names, trading e's
// one-time code for a token, and returns what the device keeps: the token,
// the server address and, when e carries one, the certificate pin. With a
// pin the code itself is only sent once the server has shown the pinned
// certificate. The caller saves the result (replica.SaveEnrolment); every
// client made for the device afterwards comes from ForDevice.
func EnrolDevice(ctx context.Context, e gpsync.Enrolment, deviceName string, opts ...Option) (replica.Enrolment, error) {
	const op = "client.EnrolDevice"
	// A copy, so the caller's slice is never written to; the pin comes
	// last so no option can undo it.
	opts = append([]Option(nil), opts...)
	if e.Pin != "" {
		opts = append(opts, WithPinnedCert(e.Pin))
	}
	c, err := New(e.Server, opts...)
	if err != nil {
		return replica.Enrolment{}, fmt.Errorf("%s: %w", op, err)
	}
	got, err := c.Enrol(ctx, gpsync.EnrolRequest{Code: e.Code, DeviceName: deviceName})
	if err != nil {
		return replica.Enrolment{}, fmt.Errorf("%s: %w", op, err)
	}
	return replica.Enrolment{DeviceID: got.DeviceID, Role: got.Role, Token: got.Token, ServerURL: c.BaseURL(), CertPin: e.Pin}, nil
}

// ForDevice is the client an enrolled device talks to its server with: its
// token, and, when it enrolled with a pin, that pin, so from then on any
// other certificate is refused before a byte is sent. A device enrolled
// without a pin (plain http on this machine's loopback) has none.
func ForDevice(en replica.Enrolment, opts ...Option) (*Client, error) {
	const op = "client.ForDevice"
	opts = append(append([]Option(nil), opts...), WithToken(en.Token))
	if en.CertPin != "" {
		opts = append(opts, WithPinnedCert(en.CertPin))
	}
	c, err := New(en.ServerURL, opts...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return c, nil
}
