package store

import "testing"

// A lesson's ID is lower-case letters, digits and hyphens, every one of
// them from 'a' to 'z' and '0' to '9', and nothing either side.
func TestLessonIDsAlphabetEdges(t *testing.T) {
	for _, id := range []string{"a", "z", "0", "9", "az-09", "nhs-app"} {
		if !ValidLessonID(id) {
			t.Errorf("%q refused", id)
		}
	}
	for _, id := range []string{"`", "{", "/", ":", "A", "book_1", "book ", ""} {
		if ValidLessonID(id) {
			t.Errorf("%q accepted", id)
		}
	}
}
