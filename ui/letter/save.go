package letter

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// SavePDF writes pdf to path atomically: a temporary file in the same
// folder, synced, then renamed, so a half-written letter never appears
// under the chosen name. Failures match ErrCannotSave and say why in
// plain words.
func SavePDF(path string, pdf []byte) (err error) {
	dir := filepath.Dir(path)
	fail := func(reason string, cause error) error {
		return &Error{Op: "letter save", Kind: ErrCannotSave, Reason: reason, Cause: cause}
	}
	if fi, err := os.Stat(dir); err != nil {
		return fail("That folder does not exist.", err)
	} else if !fi.IsDir() {
		return fail("That is not a folder.", fmt.Errorf("%s is a file", dir))
	}
	f, err := os.CreateTemp(dir, ".letter-*.pdf.tmp")
	if err != nil {
		if errors.Is(err, os.ErrPermission) {
			return fail("You are not allowed to save in that folder.", err)
		}
		return fail("A new file could not be made in that folder.", err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if _, err := f.Write(pdf); err != nil {
		return fail("Writing the file failed. The disk may be full.", err)
	}
	if err := f.Sync(); err != nil {
		return fail("Writing the file failed.", err)
	}
	if err := f.Close(); err != nil {
		return fail("Writing the file failed.", err)
	}
	// CreateTemp makes the file 0600; a letter saved for printing later is
	// an ordinary document.
	if err := os.Chmod(tmp, 0o644); err != nil {
		return fail("The file could not be finished.", err)
	}
	if fi, statErr := os.Stat(path); statErr == nil && fi.IsDir() {
		return fail("There is a folder with that name.", fmt.Errorf("%s is a folder", path))
	}
	if err := os.Rename(tmp, path); err != nil {
		return fail("The file could not be put in place.", err)
	}
	return nil
}
