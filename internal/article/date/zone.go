package date

import (
	"strconv"
	"strings"
	"time"
)

// A zone a page states is kept: a date is returned in a fixed zone of the
// stated offset, so that its instant is right and its calendar date is the
// publication's own ("23:30 -0500" is still that day). A date with no zone,
// or with a name this file does not know, is the wall clock as written, in
// UTC.

// zoneOffsets are the offsets (hours east of UTC) of zone names that news
// pages write and that mean one thing. A name that means several is not
// applied, as a date is never guessed: "CST" (US Central or China), "IST"
// (India, Ireland or Israel), "AST" (Atlantic or Arabia) leave the wall
// clock in UTC.
var zoneOffsets = map[string]int{
	"UTC": 0, "GMT": 0, "UT": 0, "Z": 0, "WET": 0,
	"BST": 1, "CET": 1, "WAT": 1, "WEST": 1, "MEZ": 1,
	"CEST": 2, "EET": 2, "CAT": 2, "SAST": 2, "MESZ": 2,
	"EEST": 3, "MSK": 3, "EAT": 3, "TRT": 3,
	"PKT": 5, "ICT": 7, "WIB": 7,
	"HKT": 8, "SGT": 8, "AWST": 8, "PHT": 8, "MYT": 8, "BJT": 8,
	"JST": 9, "KST": 9, "AEST": 10, "AEDT": 11, "NZST": 12, "NZDT": 13,
	"EST": -5, "EDT": -4, "CDT": -5, "MST": -7, "MDT": -6,
	"PST": -8, "PDT": -7, "AKST": -9, "AKDT": -8, "HST": -10,
}

// halfHourZones are the zones whose offset is not whole hours (minutes).
var halfHourZones = map[string]int{"NPT": 5*60 + 45, "ACST": 9*60 + 30, "ACDT": 10*60 + 30}

// usGeneric are the US zone names that do not say whether summer time
// applies ("ET", "5:02 p.m. ET"): their standard offsets in hours.
var usGeneric = map[string]int{"ET": -5, "CT": -6, "MT": -7, "PT": -8}

// zoneAt returns the location a stated zone names for a wall clock of the
// given date and hour: "Z", "GMT", "EST", "GMT+2", "UTC-05:00", "+0100",
// "-05:00", the generic "ET" (with US summer time), "UK" (with British
// summer time). ok is false for "" and for names it does not know.
func zoneAt(zone string, y int, mo time.Month, d, h int) (*time.Location, bool) {
	zone = strings.TrimSpace(zone)
	if zone == "" {
		return nil, false
	}
	name, rest := zone, ""
	if i := strings.IndexAny(zone, "+-"); i >= 0 {
		name, rest = zone[:i], zone[i:]
	}
	upper := strings.ToUpper(name)
	switch {
	case rest != "" && (name == "" || upper == "GMT" || upper == "UTC" || upper == "UT"):
		off, ok := offsetSeconds(rest)
		if !ok {
			return nil, false
		}
		return fixed(off), true
	case rest != "":
		return nil, false
	}
	if off, ok := zoneOffsets[upper]; ok {
		return fixed(off * 3600), true
	}
	if off, ok := halfHourZones[upper]; ok {
		return fixed(off * 60), true
	}
	if off, ok := usGeneric[upper]; ok {
		if usSummer(y, mo, d, h) {
			off++
		}
		return fixed(off * 3600), true
	}
	if upper == "UK" {
		if ukSummer(y, mo, d, h) {
			return fixed(3600), true
		}
		return time.UTC, true
	}
	return nil, false
}

// fixed returns UTC for offset 0, else a zone of that offset.
func fixed(off int) *time.Location {
	if off == 0 {
		return time.UTC
	}
	return time.FixedZone("", off)
}

// offsetSeconds reads "+8", "+08", "+0800", "+08:00", "-5:30".
func offsetSeconds(s string) (int, bool) {
	sign := 1
	if s[0] == '-' {
		sign = -1
	}
	s = strings.ReplaceAll(s[1:], ":", "")
	var h, m int
	var err error
	switch len(s) {
	case 1, 2:
		h, err = strconv.Atoi(s)
	case 3, 4:
		h, err = strconv.Atoi(s[:len(s)-2])
		if err == nil {
			m, err = strconv.Atoi(s[len(s)-2:])
		}
	default:
		return 0, false
	}
	if err != nil || h > 14 || m > 59 {
		return 0, false
	}
	return sign * (h*3600 + m*60), true
}

// usSummer reports whether US summer time is in force at the local wall
// clock: from 2 a.m. on the second Sunday of March to 2 a.m. on the first
// Sunday of November (the rule since 2007; earlier years are read by it
// too, which errs by an hour on a few weeks of them).
func usSummer(y int, mo time.Month, d, h int) bool {
	start := nthSunday(y, time.March, 2)
	end := nthSunday(y, time.November, 1)
	return after(y, mo, d, h, time.March, start) && !after(y, mo, d, h, time.November, end)
}

// ukSummer reports whether British Summer Time is in force: from the last
// Sunday of March to the last Sunday of October (at about 1–2 a.m.).
func ukSummer(y int, mo time.Month, d, h int) bool {
	start := lastSunday(y, time.March)
	end := lastSunday(y, time.October)
	return after(y, mo, d, h, time.March, start) && !after(y, mo, d, h, time.October, end)
}

// after reports whether the wall clock y-mo-d h:00 is at or after 2 a.m. on
// day of month m.
func after(y int, mo time.Month, d, h int, m time.Month, day int) bool {
	if mo != m {
		return mo > m
	}
	return d > day || d == day && h >= 2
}

// nthSunday returns the day of month of the nth Sunday of month m.
func nthSunday(y int, m time.Month, n int) int {
	first := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC).Weekday()
	return 1 + (7-int(first))%7 + 7*(n-1)
}

// lastSunday returns the day of month of the last Sunday of month m.
func lastSunday(y int, m time.Month) int {
	last := time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC)
	return last.Day() - int(last.Weekday())
}

// inZone returns the wall clock t (in UTC) as the same wall clock in the
// zone stated, or t itself when zone says nothing this file knows.
func inZone(t time.Time, zone string) time.Time {
	loc, ok := zoneAt(zone, t.Year(), t.Month(), t.Day(), t.Hour())
	if !ok || loc == time.UTC {
		return t
	}
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc)
}
