package article

import "testing"

func TestBoilerplate(t *testing.T) {
	tests := []struct {
		line, rule string // rule "": article text, kept
	}{
		{"<Suggest to a friend>", ruleShare},
		{"[Suggest to a Friend]", ruleShare},
		{"Suggest to a friend:", ruleShare},
		{"Print", ruleShare},
		{"Share this article", ruleShare},
		{"(Web editor: Zhang Kaiwei, Wu Chaolan)", ruleEditor},
		{"[Editor: Li Yan]", ruleEditor},
		{"Responsible editor: Wang Xin", ruleEditor},
		{"© 2023 Xinhua. All rights reserved.", ruleCopyright},
		{"Copyright © 2019 SCO Secretariat", ruleCopyright},
		{"(Editor: 王静)", ruleEditor},
		{"Chinese State Councilor and Foreign Minister Qin Gang meets with Secretary-General of the Shanghai Cooperation Organization (SCO) Zhang Ming in Beijing, capital of China, April 19, 2023. (Xinhua/Zhai Jianlan)", ruleCaption},
		{"Tourists visit the Great Wall. (Photo/Xinhua)", ruleCaption},
		{"Home > China News", ruleNav},
		{"HOME > China News", ruleNav},
		{"News > World > Asia", ruleNav},
		{"Contact Us Links 中文", ruleNav},
		{"Home | Search | RSS", ruleNav},
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
		{"Probe <b>bold</b> title", ""},
		{"a>b>c", ""},
		{"x > y >> z", ""},
		{"Help", ""},
		{"Home", ""},
		{"Search engines like Google rely on links.", ""},
		{"- they fear that they will damage their brand if they join the offshoring drive.", ""},
	}
	for _, tt := range tests {
		if got := boilerplate(tt.line); got != tt.rule {
			t.Errorf("boilerplate(%q) = %q, want %q", tt.line, got, tt.rule)
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
		name, ok := byline(tt.line)
		if name != tt.name || ok != (tt.name != "") {
			t.Errorf("byline(%q) = %q, %v; want %q", tt.line, name, ok, tt.name)
		}
	}
}
