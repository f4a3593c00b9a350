package letter

import (
	"encoding/binary"
	"testing"
)

// A response cut short anywhere is an error, never a panic or a half-read
// job state taken as an answer.
func TestIPPResponseCutShort(t *testing.T) {
	var r ippRequest
	r.start(0)            // status 0: successful-ok
	r.buf.WriteByte(0x02) // job attributes group
	r.buf.WriteByte(tagEnum)
	_ = binary.Write(&r.buf, binary.BigEndian, uint16(len("job-state")))
	r.buf.WriteString("job-state")
	_ = binary.Write(&r.buf, binary.BigEndian, uint16(4))
	_ = binary.Write(&r.buf, binary.BigEndian, uint32(jobCompleted))
	r.attr(tagKeyword, "job-state-reasons", "job-completed-successfully", "other")
	full := r.end()

	a, err := parseIPPResponse(full)
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := a.int("job-state"); !ok || s != jobCompleted {
		t.Fatalf("job-state = %d, %v", s, ok)
	}
	if got := a.strings("job-state-reasons"); len(got) != 2 || got[1] != "other" {
		t.Fatalf("job-state-reasons = %q", got)
	}
	for n := range len(full) {
		if _, err := parseIPPResponse(full[:n]); err == nil {
			t.Fatalf("a response cut to %d of %d bytes was accepted", n, len(full))
		}
	}
}
