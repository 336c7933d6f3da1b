package facet

import (
	"testing"
	"time"
)

// parseOffset reads the zones schema.Offset holds, as time formats them.
func TestParseOffset(t *testing.T) {
	for _, secs := range []int{8 * 3600, -5 * 3600, 5*3600 + 30*60, -(9*3600 + 30*60), 14 * 3600, -12 * 3600, 5*3600 + 45*60} {
		s := time.Date(2023, 2, 26, 23, 30, 0, 0, time.FixedZone("", secs)).Format("-07:00")
		if got := parseOffset([]byte(s)); got != int64(secs)*int64(time.Second) {
			t.Errorf("parseOffset(%q) = %v, want %ds", s, time.Duration(got), secs)
		}
	}
	for _, s := range []string{"", "Z", "+8:00", "+08", "+0800", "08:00", "+0a:00", "+08:00:00", "-05-30"} {
		if got := parseOffset([]byte(s)); got != 0 {
			t.Errorf("parseOffset(%q) = %v, want 0", s, time.Duration(got))
		}
	}
}
