package text

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// uiPackages are the packages whose words must all come from this one.
var uiPackages = []string{"../kiosk", "../widgets", "../setup", "../receipt", "../staff", "../practiceday", "../manager"}

// sinks put their string arguments in front of people: Fyne's
// constructors and setters, and the kiosk's own screen helpers. A
// "pkg." entry matches every function of that package.
var sinks = map[string]bool{
	"widget.": true, "dialog.": true, "canvas.NewText": true,
	"SetText": true, "SetPlaceHolder": true, "SetTitle": true,
	"heading": true, "para": true, "bigButton": true, "chooseFrom": true, "sorry": true,
	"show": true, "setLine": true, "newDOBField": true, "newKeyButton": true, "wordKey": true,
	"widgets.": true, "NewText": true, "NewButton": true, "NewPrimaryButton": true, "NewCheckButton": true,
	"NewPager": true, "warning": true,
}

// notWords take strings that are for logs, errors or the computer, never
// for the screen: anything inside them is left alone.
var notWords = map[string]bool{
	"errors.New": true, "fmt.Errorf": true, "slog.": true, "regexp.MustCompile": true,
	"Debug": true, "Info": true, "Warn": true, "Error": true, // slog.Logger methods
	"Format": true, "Parse": true, // time layouts such as "Monday 2 January"
	"time.LoadLocation": true, // time zone names such as "Europe/London"
}

// skipFiles hold no words for people at all.
var skipFiles = map[string]string{
	"decode.go": "reads ESC/POS back for tests and diagnostics; its strings are error detail",
}

// allowedLiterals are string literals with words in them that are not
// shown to anyone. Keep it short: a new entry needs a reason.
var allowedLiterals = map[string]string{
	"GP registration letter": "the CUPS job title, seen only in print queues; it names nobody on purpose",
	"GP appointment letter":  "the same, for the appointment letter",
	"no error output":        "part of a wrapped error when lp printed nothing",
	"Ag":                     "ui/widgets measures it for the height of a line of text; never shown",
}

var (
	fmtVerb = regexp.MustCompile(`%[-+# 0-9.*]*[a-zA-Z%]`)
	wordRun = regexp.MustCompile(`[A-Za-z]{2,}`)
)

// callee names a call for the sink and notWords tables: "pkg.Func" for a
// package function, the bare name for a local function or a method.
func callee(call *ast.CallExpr) []string {
	switch f := call.Fun.(type) {
	case *ast.Ident:
		return []string{f.Name}
	case *ast.SelectorExpr:
		names := []string{f.Sel.Name}
		if x, ok := f.X.(*ast.Ident); ok {
			names = append(names, x.Name+"."+f.Sel.Name, x.Name+".")
		}
		return names
	}
	return nil
}

func anyIn(m map[string]bool, names []string) bool {
	for _, n := range names {
		if m[n] {
			return true
		}
	}
	return false
}

// shownInline says whether s, passed straight to a sink, is words rather
// than a layout or a separator: a letter, and a space or a capital.
func shownInline(s string) bool {
	s = fmtVerb.ReplaceAllString(s, "")
	return strings.IndexFunc(s, unicode.IsLetter) >= 0 &&
		(strings.ContainsRune(s, ' ') || strings.IndexFunc(s, unicode.IsUpper) >= 0)
}

// namedWords says whether s, named, returned or joined before it reaches
// a sink, is words: a space or a capital as above, and a run of letters
// with a small one in it, so codes ("ACCOUNT=") and code-page tables pass.
func namedWords(s string) bool {
	s = fmtVerb.ReplaceAllString(s, "")
	for _, w := range wordRun.FindAllString(s, -1) {
		if strings.IndexFunc(w, unicode.IsLower) >= 0 {
			return shownInline(s)
		}
	}
	return false
}

// prose says whether s reads as words anywhere in the code: two words of
// two letters or more.
func prose(s string) bool {
	return len(wordRun.FindAllString(fmtVerb.ReplaceAllString(s, ""), -1)) >= 2 && strings.ContainsRune(s, ' ')
}

// where is where a string literal is: passed straight to a sink, named
// or returned or joined (so it may reach one later), or elsewhere.
type where int

const (
	elsewhere where = iota
	named
	shown
)

// inlineStrings lists the string literals in f that look like words for
// people: any with letters passed straight to a sink, words that are
// named, returned or joined with +, and prose anywhere, outside logs,
// errors and String methods.
func inlineStrings(fset *token.FileSet, f *ast.File) []string {
	var found []string
	var visit func(n ast.Node, at where)
	visit = func(n ast.Node, at where) {
		ast.Inspect(n, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ImportSpec:
				return false
			case *ast.Field: // skip struct tags
				visit(n.Type, at)
				return false
			case *ast.FuncDecl: // a String method is for logs and tests
				return !(n.Name.Name == "String" && n.Recv != nil)
			case *ast.FuncLit: // a callback's body is not the sink's argument
				visit(n.Body, elsewhere)
				return false
			case *ast.ValueSpec, *ast.AssignStmt, *ast.ReturnStmt, *ast.CompositeLit:
				// Words are often named or returned first and shown later.
				if at == elsewhere {
					visit(n, named)
					return false
				}
			case *ast.BinaryExpr: // "Hello " + name
				if n.Op == token.ADD && at == elsewhere {
					visit(n, named)
					return false
				}
			case *ast.CallExpr:
				names := callee(n)
				switch {
				case anyIn(notWords, names):
					return false
				case anyIn(sinks, names):
					visit(n.Fun, at)
					for _, a := range n.Args {
						visit(a, shown)
					}
					return false
				}
			case *ast.BasicLit:
				if n.Kind != token.STRING {
					return false
				}
				s, err := strconv.Unquote(n.Value)
				if err != nil {
					s = n.Value
				}
				if _, ok := allowedLiterals[s]; ok {
					return false
				}
				if (at == shown && shownInline(s)) || (at == named && namedWords(s)) || prose(s) {
					found = append(found, fmt.Sprintf("%s: %q", fset.Position(n.Pos()), s))
				}
			}
			return true
		})
	}
	visit(f, elsewhere)
	return found
}

// TestNoInlineUserStrings fails when words for people are written inline
// in the UI packages instead of coming from the catalogue.
func TestNoInlineUserStrings(t *testing.T) {
	fset := token.NewFileSet()
	n := 0
	for _, dir := range uiPackages {
		paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(paths) == 0 {
			t.Fatalf("no Go files in %s: %v", dir, err)
		}
		for _, path := range paths {
			if _, skip := skipFiles[filepath.Base(path)]; skip || strings.HasSuffix(path, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			n++
			for _, s := range inlineStrings(fset, f) {
				t.Errorf("%s: words for people belong in ui/text; add a Key and use text.T", s)
			}
		}
	}
	t.Logf("checked %d files", n)
}

// TestInlineStringCheckCatches keeps the check above honest: each of these
// must be caught, and each of the second list must not.
func TestInlineStringCheckCatches(t *testing.T) {
	caught := []string{
		`widget.NewLabel("Hello there")`,
		`widget.NewButton("Back", nil)`,
		`heading("Sorry")`,
		`para("Your order is " + state)`,
		`b.SetText(fmt.Sprintf("%s\nwith %s", when, who))`,
		`dialog.ShowInformation("Done", msg, w)`,
		`bigButton(text.T(text.BookSlot, "with"+" someone"), nil)`,
		`msg = "Sorry, we could not send that."`,
		`[]string{"The screen is hard to read"}`,
		`title, message := "Sorry", ""`,
		`return "Hello " + name`,
		`const TextNext = "Next"`,
		`widget.NewButton(text.T(text.Back), func() { para("Go back now") })`,
	}
	missed := []string{
		`widget.NewLabel(text.T(text.Back))`,
		`widget.NewLabel("")`,
		`d.message.SetText(msg)`,
		`widget.NewLabel(t.Format("Monday 2 January"))`,
		`widget.NewLabel(now.Format("15:04"))`,
		`k.cfg.Log.Error("ask for help failed", "err", err)`,
		`fmt.Errorf("kiosk check-in: no practice server")`,
		`loc, err := time.LoadLocation("Europe/London")`,
		`errors.New("no receipt printer configured")`,
		`strings.Join(names, ", ")`,
		`if rq.Status != "pending" {}`,
		`code, ok := strings.CutPrefix(code, "GPKIOSK-LETTER:V1?")`,
		`label := itemName(it) + "\n" + it.Dosage`,
		`widget.NewButton(text.T(text.Back), func() { k.cfg.Log.Warn("went back to the start") })`,
	}
	check := func(src string) []string {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "x.go", "package x\nfunc f() {\n_ = "+src+"\n}\n", 0)
		if err != nil {
			// Not an expression: try it as a statement.
			f, err = parser.ParseFile(fset, "x.go", "package x\nfunc f() {\n"+src+"\n}\n", 0)
		}
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		return inlineStrings(fset, f)
	}
	for _, src := range caught {
		if len(check(src)) == 0 {
			t.Errorf("not caught: %s", src)
		}
	}
	for _, src := range missed {
		if got := check(src); len(got) != 0 {
			t.Errorf("wrongly caught in %s: %v", src, got)
		}
	}
}
