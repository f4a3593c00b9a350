package client_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	gpsync "gpkiosk/sync"
	"gpkiosk/sync/client"
)

// checkInServer answers POST /v1/checkin with answer after checking the
// request is a device's: the token, JSON, and the patient's details. It
// records each request it decoded.
func checkInServer(t *testing.T, status int, answer any) (*fakeServer, *[]gpsync.CheckInRequest) {
	t.Helper()
	f := newFakeServer(t)
	var got []gpsync.CheckInRequest
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodPost || r.URL.Path != gpsync.APIVersion+"/checkin" {
			writeError(w, http.StatusNotFound, "not_found", "No such endpoint.")
			return true
		}
		if r.Header.Get("Authorization") != "Bearer "+testToken {
			writeError(w, http.StatusUnauthorized, "unauthorized", "This device is not set up with the practice server.")
			return true
		}
		var req gpsync.CheckInRequest
		dec := json.NewDecoder(r.Body)
		dec.DisallowUnknownFields()
		if r.Header.Get("Content-Type") != "application/json" || dec.Decode(&req) != nil {
			writeError(w, http.StatusBadRequest, "bad_request", "Bad request.")
			return true
		}
		f.mu.Lock()
		got = append(got, req)
		f.mu.Unlock()
		writeJSON(w, status, answer)
		return true
	})
	return f, &got
}

func TestCheckInSendsThePatientsAnswersAndReturnsTheAppointment(t *testing.T) {
	startsAt := time.Date(2026, 6, 10, 9, 30, 0, 0, time.UTC)
	f, got := checkInServer(t, http.StatusOK, gpsync.CheckInResponse{CheckedIn: true, StartsAt: startsAt, Clinician: "Dr Patel"})
	req := gpsync.CheckInRequest{DateOfBirth: "1980-02-29", Sex: "female", SurnameInitial: "S"}

	resp, err := newClient(t, f.URL(), client.WithToken(testToken)).CheckIn(t.Context(), req)
	if err != nil {
		t.Fatalf("CheckIn: %v", err)
	}
	if !resp.CheckedIn || !resp.StartsAt.Equal(startsAt) || resp.Clinician != "Dr Patel" {
		t.Errorf("CheckIn = %+v, want checked in for Dr Patel at 09:30", resp)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(*got) != 1 || (*got)[0] != req {
		t.Errorf("server received %+v, want exactly %+v", *got, req)
	}
}

func TestCheckInRefusalIsAnAnswerWithItsMessage(t *testing.T) {
	const msg = "Sorry, we could not find your appointment. Please go to reception."
	f, _ := checkInServer(t, http.StatusOK, gpsync.CheckInResponse{CheckedIn: false, Message: msg})

	resp, err := newClient(t, f.URL(), client.WithToken(testToken)).CheckIn(t.Context(), gpsync.CheckInRequest{Code: "ABCDEFGHIJKLMNOPQRSTUVWXYZ"})
	if err != nil {
		t.Fatalf("CheckIn refused: %v, want an answer, not an error", err)
	}
	if resp.CheckedIn || resp.Message != msg {
		t.Errorf("CheckIn = %+v, want not checked in with the server's message", resp)
	}
}

func TestCheckInRefusalWithoutWordsIsABadAnswer(t *testing.T) {
	f, _ := checkInServer(t, http.StatusOK, gpsync.CheckInResponse{CheckedIn: false})

	resp, err := newClient(t, f.URL(), client.WithToken(testToken)).CheckIn(t.Context(), gpsync.CheckInRequest{Code: "ABCDEFGHIJKLMNOPQRSTUVWXYZ"})
	if !errors.Is(err, client.ErrBadResponse) {
		t.Errorf("CheckIn with a silent refusal = %+v, %v; want ErrBadResponse: a patient must be told something", resp, err)
	}
}

func TestCheckInServerErrorsAndGarbageAreErrors(t *testing.T) {
	t.Run("503", func(t *testing.T) {
		f, _ := checkInServer(t, http.StatusServiceUnavailable, gpsync.Error{Code: client.CodeUnavailable, Message: "Shutting down."})
		_, err := newClient(t, f.URL(), client.WithToken(testToken)).CheckIn(t.Context(), gpsync.CheckInRequest{Code: "X"})
		if !client.HasCode(err, client.CodeUnavailable) || !client.IsRetryable(err) {
			t.Errorf("CheckIn on a 503: %v, want a retryable unavailable ServerError", err)
		}
	})
	t.Run("not JSON", func(t *testing.T) {
		f, _ := checkInServer(t, http.StatusOK, "checked in")
		_, err := newClient(t, f.URL(), client.WithToken(testToken)).CheckIn(t.Context(), gpsync.CheckInRequest{Code: "X"})
		if !errors.Is(err, client.ErrBadResponse) {
			t.Errorf("CheckIn on a string body: %v, want ErrBadResponse", err)
		}
	})
	t.Run("unreachable", func(t *testing.T) {
		f, _ := checkInServer(t, http.StatusOK, gpsync.CheckInResponse{CheckedIn: true})
		c := newClient(t, f.URL(), client.WithToken(testToken))
		f.srv.Close()
		_, err := c.CheckIn(t.Context(), gpsync.CheckInRequest{Code: "X"})
		if !errors.Is(err, client.ErrUnreachable) {
			t.Errorf("CheckIn with the server gone: %v, want ErrUnreachable", err)
		}
	})
}
