// Package section tells an article's section from its path.
package section

import "strings"

// Of returns the section of the article with ID id: the first
// folder of its path under the articles folder ("sport" for
// "sport/001.txt"), or "" for an article at the top or under a folder named
// for a year ("2023/…"), which dates an archive rather than dividing it.
func Of(id string) string {
	folder, _, ok := strings.Cut(id, "/")
	if !ok || folder == "" || isYear(folder) {
		return ""
	}
	return folder
}

// isYear reports whether a folder name is four digits, like "2023".
func isYear(name string) bool {
	if len(name) != 4 {
		return false
	}
	for _, c := range []byte(name) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
