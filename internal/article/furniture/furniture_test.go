package furniture

import (
	"slices"
	"testing"
)

func TestBoilerplate(t *testing.T) {
	tests := []struct {
		line, rule string // rule "": article text, kept
	}{
		{"<Suggest to a friend>", Share},
		{"[Suggest to a Friend]", Share},
		{"Suggest to a friend:", Share},
		{"Print", Share},
		{"Share this article", Share},
		{"(Web editor: Zhang Kaiwei, Wu Chaolan)", Editor},
		{"[Editor: Li Yan]", Editor},
		{"Responsible editor: Wang Xin", Editor},
		{"© 2023 Xinhua. All rights reserved.", Copyright},
		{"Copyright © 2019 SCO Secretariat", Copyright},
		{"(Editor: 王静)", Editor},
		{"Chinese State Councilor and Foreign Minister Qin Gang meets with Secretary-General of the Shanghai Cooperation Organization (SCO) Zhang Ming in Beijing, capital of China, April 19, 2023. (Xinhua/Zhai Jianlan)", Caption},
		{"Tourists visit the Great Wall. (Photo/Xinhua)", Caption},
		{"Home > China News", Nav},
		{"HOME > China News", Nav},
		{"News > World > Asia", Nav},
		{"Contact Us Links 中文", Nav},
		{"Home | Search | RSS", Nav},
		{"World News > Markets", Nav}, // breadcrumbs in any words
		{"Home » Business", Nav},
		{"News / Asia / China", Nav},
		{"Sport › Football › Premier League", Nav},
		{"Home >> World >> Americas", Nav},
		{"Home | China | World | Business | Sci-Tech", Nav},
		{"Image source, Getty Images", Caption},
		{"Home News Sport Weather", Nav},
		{"News Opinion Sport Culture Lifestyle", Nav},
		{"Skip to main content", Share},
		{"3 Min Read", ReadTime},
		{"5 minute read", ReadTime},
		{"Reading time: 4 min", ReadTime},
		{"Reporting by Jane Doe in London; Editing by John Roe", Credits},
		{"(Reporting by Jane Doe; Writing by Li Wei)", Credits},
		{"Additional reporting by Tom Lee", Credits},
		// Article text that resembles the rules.
		{"Suggest to a friend that they read it, he said.", ""},
		{"The editor: a profile of the man who runs the paper.", ""},
		{"Copyright laws are changing, the minister said.", ""},
		{"Copyright 2004 battle looms", ""},
		{"Editors: the new breed", ""},
		{"The studio said all rights reserved under the deal would lapse.", ""},
		{"The Simpsons (Twentieth Century Fox, BBC Two/Sky One/Channel 4)", ""},
		{"The car reached 300 (km/h) on the track", ""},
		{"Profits > forecasts", ""},
		{"Ukraine / Russia talks resume", ""}, // one slash: a headline may use it
		{"Source: Xinhua | 2023-04-20 10:34:56 | Editor: huaxia", ""},
		{"Stocks fall | Oil rises | Gold flat", ""},
		{"Markets > Expectations as sales jump.", ""},
		{"3 minutes later the alarm went off", ""},
		{"Reporting by the BBC found that profits fell.", ""},
		{"Reporting by Reuters and others showed that the firm had lost money.", ""},
		{"Probe <b>bold</b> title", ""},
		{"a>b>c", ""},
		{"x > y >> z", ""},
		{"Help", ""},
		{"Sport", ""}, // one word may be a headline
		{"World News Tonight wins award", ""},
		{"Home", ""},
		{"Search engines like Google rely on links.", ""},
		{"- they fear that they will damage their brand if they join the offshoring drive.", ""},
	}
	for _, tt := range tests {
		if got := Rule(tt.line); got != tt.rule {
			t.Errorf("Rule(%q) = %q, want %q", tt.line, got, tt.rule)
		}
	}
}

func TestByline(t *testing.T) {
	tests := []struct{ line, name string }{
		{"By Jane Smith", "Jane Smith"},
		{"by Li Wei and Tom Lee", "Li Wei and Tom Lee"},
		{"By the end of the year, profits rose.", ""},
		{"Bypass road opens", ""},
	}
	for _, tt := range tests {
		name, ok := Byline(tt.line)
		if name != tt.name || ok != (tt.name != "") {
			t.Errorf("Byline(%q) = %q, %v; want %q", tt.line, name, ok, tt.name)
		}
	}
}

func TestCopyrightHolder(t *testing.T) {
	for line, want := range map[string]string{
		"©2024 Bloomberg L.P.": "Bloomberg",
		"Copyright 2024 Nexstar Media Inc. All rights reserved. This material may not be published, broadcast, rewritten, or redistributed.": "Nexstar Media",
		"© 2023 Xinhua. All rights reserved.":                      "Xinhua",
		"Copyright © 2000-2024 XINHUANET.com All rights reserved.": "XINHUANET.com",
		"© 2024 The Straits Times":                                 "The Straits Times",
		"All rights reserved.":                                     "",
		"Copyright 2004 battle looms":                              "",
		"The copyright of the photo belongs to Jane Doe":           "",
	} {
		if got := CopyrightHolder(line); got != want {
			t.Errorf("CopyrightHolder(%q) = %q, want %q", line, got, want)
		}
	}
}

func TestLiveNewsletterAndClockLines(t *testing.T) {
	for line, want := range map[string]string{
		"Jane Doe (now) and Tom Lee (earlier)":  Live,
		"Newsletter sign up":                    Signup,
		"By signing up, you agree to the terms": Signup,
		"Get The Times of Israel's Daily Edition by email and never miss our top stories": Signup,
		"6.45pm GMT": Clock,
		"17:12":      Clock,
		"The minister said she would sign up to the plan by email.": "",
		"Get ready for the storm":                                   "",
		"Tom Lee (earlier) said the talks would go on for days, according to officials in the capital who asked not to be named.": "",
	} {
		if got := Rule(line); got != want {
			t.Errorf("Rule(%q) = %q, want %q", line, got, want)
		}
	}
}

func TestFacts(t *testing.T) {
	got := Facts("Source: Xinhua | 2023-04-20 10:34:56 · Editor: huaxia", 8)
	if want := []string{"Source: Xinhua", "2023-04-20 10:34:56", "Editor: huaxia"}; !slices.Equal(got, want) {
		t.Errorf("Facts = %q, want %q", got, want)
	}
	if got := Facts("a | b | c", 2); !slices.Equal(got, []string{"a", "b | c"}) {
		t.Errorf("Facts(n=2) = %q", got)
	}
}
