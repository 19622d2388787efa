package bulk

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestJSONStringIsEncodingJSONs holds the quick way for plain text to what
// encoding/json writes, for plain and escaped text alike.
func TestJSONStringIsEncodingJSONs(t *testing.T) {
	for _, s := range []string{"", "Anna Schmidt", "+49 30 1234567", `say "hi"`, `C:\path`, "a\nb\tc\x01",
		"<b>&amp;</b>", "Müller", "line\u2028sep", "\x7f", "2026-12-06T10:00:00Z"} {
		var b strings.Builder
		appendJSONString(&b, s)
		want, _ := json.Marshal(s)
		if b.String() != string(want) {
			t.Errorf("%q written as %s, encoding/json: %s", s, b.String(), want)
		}
	}
}

func FuzzJSONString(f *testing.F) {
	f.Add("Anna")
	f.Add("\x00\"\\<>&\u2028")
	f.Fuzz(func(t *testing.T, s string) {
		s = PGText(s)
		var b strings.Builder
		appendJSONString(&b, s)
		if want, _ := json.Marshal(s); b.String() != string(want) {
			t.Errorf("%q written as %s, encoding/json: %s", s, b.String(), want)
		}
	})
}
