package widgets

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	uitheme "gpkiosk/ui/theme"
)

// A page short of room lets its plain instruction give way before its
// keys would run into its footer; the heading stays, and the instruction
// comes back when the page has room again.
func TestPageLetsInstructionsGiveWay(t *testing.T) {
	app := test.NewTempApp(t)
	app.Settings().SetTheme(uitheme.NewWith(uitheme.Settings{Size: uitheme.SizeLarger}))
	heading := NewText("Sign in with your letter", TextHeading)
	hint := NewText("Scan the square code on your letter, or type its account ID.", TextBody)
	pad := NewKeypad(KeypadAccountID)
	back := NewButton("Back", nil)
	page := NewPage([]fyne.CanvasObject{heading, hint}, pad, []fyne.CanvasObject{back})
	w := test.NewTempWindow(t, page)
	w.SetPadded(false)

	w.Resize(fyne.NewSize(1024, 2000))
	if hint.GaveWay() {
		t.Fatal("the instruction gave way on a tall page")
	}
	// Room for the heading, the keys' flattest rows and the footer, but
	// not the instruction as well.
	w.Resize(fyne.NewSize(1024, 400))
	if !hint.GaveWay() || heading.GaveWay() {
		t.Fatalf("short page: instruction gave way %v, heading %v; want only the instruction", hint.GaveWay(), heading.GaveWay())
	}
	if keysBottom := pad.Position().Y + pad.Size().Height; keysBottom > back.Position().Y {
		t.Errorf("keys end at %.0f, below the footer's top %.0f", keysBottom, back.Position().Y)
	}
	w.Resize(fyne.NewSize(1024, 2000))
	if hint.GaveWay() {
		t.Error("the instruction did not come back when there was room")
	}
}
