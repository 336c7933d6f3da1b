package lang

import "testing"

func TestDetectLanguage(t *testing.T) {
	tests := []struct{ text, want string }{
		{"The minister said that the talks with the delegation had been useful and that he would return to the capital for more of them in the spring, and that was the end of it.", "en"},
		{"Le ministre a déclaré que les discussions avec la délégation avaient été utiles et qu'il reviendrait dans la capitale pour en avoir plus au printemps, et que ce serait la fin.", "fr"},
		{"Der Minister sagte, dass die Gespräche mit der Delegation nützlich gewesen seien und dass er im Frühjahr in die Hauptstadt zurückkehren werde, und das sei nicht das Ende.", "de"},
		{"El ministro dijo que las conversaciones con la delegación habían sido útiles y que volvería a la capital para más en la primavera, y que ese no fue el final de las mismas.", "es"},
		{"中国国务委员兼外长秦刚在北京会见上海合作组织秘书长张明。", "zh"},
		{"Wang Yi Rashid Alimov SCO", ""}, // too short to tell
		{"", ""},
	}
	for _, tt := range tests {
		if got, _ := Detect(tt.text); got != tt.want {
			t.Errorf("Detect(%.40q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestCode(t *testing.T) {
	for in, want := range map[string]string{"en-GB": "en", "en_US": "en", "zh": "zh", "english": "", "": "", "x1": ""} {
		if got := Code(in); got != want {
			t.Errorf("Code(%q) = %q, want %q", in, got, want)
		}
	}
}
