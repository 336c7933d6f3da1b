// Package dedup finds texts that are the same story: the same wire copy
// filed twice, or re-filed with small edits (a changed sentence, a new
// paragraph, another headline). It fingerprints a text by MinHash over
// its word shingles and splits the signature into LSH bands, so that
// versions of one story share a band with high probability and different
// stories almost never do: a new text is matched by looking its bands up,
// not by comparing it with every other.
//
// It is pure computation over strings: it knows nothing of files, indexes
// or where the bands are kept (package gen stores them in its manifest).
package dedup

import (
	"encoding/binary"
	"errors"
	"hash/fnv"
	"strings"
	"unicode"
)

// The shape of a fingerprint. A Signature holds Hashes minimum hashes, one
// per hash function, over the text's shingles of ShingleWords words; Bands
// bands of Rows each cover 63 of them. Two texts whose shingle sets have
// Jaccard similarity J share at least one band with probability
// 1-(1-J^Rows)^Bands: 0.94 at J = 0.5, 0.9999 at J = 0.7, 0.44 at J = 0.3
// and 0.02 at J = 0.1. Four rows of 16 bands found 3% fewer of the
// measured versions (TestThreshold).
const (
	ShingleWords = 5
	Hashes       = 64
	Rows         = 3
	Bands        = Hashes / Rows
)

// Threshold is the estimated Jaccard similarity (Similarity) from which
// two texts are versions of one story. Measured on BBC (TestThreshold,
// README's "One story once"): of 8,193 version pairs (re-filed copies with
// a changed sentence, an added or a cut paragraph, and the corpus's own
// repeats) it finds 96.9%, and none of 501,171 pairs of different stories
// in the same section; at 0.4 it finds 99.1%, but with another draw of the
// hash functions it joined a follow-up report of an event to the first.
const Threshold = 0.5

// MinWords is the fewest words a text needs to be fingerprinted: shorter
// texts (a caption, a one-line brief) share their few shingles with too
// many others to tell stories apart.
const MinWords = 20

// Signature is the MinHash fingerprint of a text.
type Signature [Hashes]uint32

// SignatureBytes is the length of an encoded Signature.
const SignatureBytes = Hashes * 4

// Sign returns the signature of text, or false when text has fewer than
// MinWords words. Texts are compared by their words only: case,
// punctuation, accents' marks and spacing do not count.
func Sign(text string) (Signature, bool) {
	words := wordHashes(text)
	var s Signature
	if len(words) < MinWords {
		return s, false
	}
	for i := range s {
		s[i] = ^uint32(0)
	}
	for i := 0; i+ShingleWords <= len(words); i++ {
		x := uint64(0)
		for _, w := range words[i : i+ShingleWords] {
			x = mix(x ^ w)
		}
		// The Hashes hash functions of a shingle: multiply-shift hashing
		// of its one hash, a multiply and an add each (a mix each took
		// four times as long).
		for j := range s {
			if v := uint32((seeds[j]*x + seeds[Hashes-1-j]) >> 32); v < s[j] {
				s[j] = v
			}
		}
	}
	return s, true
}

// wordHashes returns a hash of each word of text (as Words gives them),
// without making the words.
func wordHashes(text string) []uint64 {
	const offset, prime = 14695981039346656037, 1099511628211 // FNV-1a
	words := make([]uint64, 0, len(text)/6)
	h, in := uint64(offset), false
	for _, r := range text {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if r < 0x80 {
				if 'A' <= r && r <= 'Z' {
					r += 'a' - 'A'
				}
			} else {
				r = unicode.ToLower(r)
			}
			h = (h ^ uint64(r)) * prime
			in = true
		case r == '\'' || r == '’' || unicode.Is(unicode.Mn, r):
			// inside a word: skipped
		case in:
			words = append(words, h)
			h, in = offset, false
		}
	}
	if in {
		words = append(words, h)
	}
	return words
}

// Words returns the words of text, lower-cased: runs of letters and digits
// (an apostrophe inside a word is dropped, so "firm's" is "firms").
func Words(text string) []string {
	var words []string
	var b strings.Builder
	end := func() {
		if b.Len() > 0 {
			words = append(words, b.String())
			b.Reset()
		}
	}
	for _, r := range text {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		case r == '\'' || r == '’' || unicode.Is(unicode.Mn, r):
			// inside a word: skipped
		default:
			end()
		}
	}
	end()
	return words
}

// Similarity estimates the Jaccard similarity of the shingle sets of the
// texts s and o were signed from: the share of their minimum hashes that
// agree.
func (s Signature) Similarity(o Signature) float64 {
	n := 0
	for i := range s {
		if s[i] == o[i] {
			n++
		}
	}
	return float64(n) / Hashes
}

// Band is the key of one LSH band of a signature: which band, and a hash
// of its rows. Texts sharing a Band are candidates to compare.
type Band uint64

// Bands returns the keys of s's bands. The band's number is in the key's
// top byte, so equal rows in different bands do not collide.
func (s Signature) Bands() [Bands]Band {
	var out [Bands]Band
	for b := range out {
		x := uint64(b)
		for _, v := range s[b*Rows : (b+1)*Rows] {
			x = mix(x ^ uint64(v))
		}
		out[b] = Band(uint64(b)<<56 | x>>8)
	}
	return out
}

// Story returns a label for a story first seen as the text signed s with
// ID id: stable (it never changes while the story has versions, whichever
// are deleted) and distinct for a different story later given the same ID.
func (s Signature) Story(id string) string {
	h := fnv.New64a()
	h.Write([]byte(id))
	h.Write(s.Encode())
	const hexDigits = "0123456789abcdef"
	var out [16]byte
	x := h.Sum64()
	for i := range out {
		out[15-i] = hexDigits[x&15]
		x >>= 4
	}
	return string(out[:])
}

// Encode returns s as SignatureBytes bytes, for storing.
func (s Signature) Encode() []byte {
	out := make([]byte, SignatureBytes)
	for i, v := range s {
		binary.BigEndian.PutUint32(out[i*4:], v)
	}
	return out
}

// Decode reads a signature Encode wrote.
func Decode(b []byte) (Signature, error) {
	var s Signature
	if len(b) != SignatureBytes {
		return s, errors.New("dedup: signature of wrong length")
	}
	for i := range s {
		s[i] = binary.BigEndian.Uint32(b[i*4:])
	}
	return s, nil
}

// mix is SplitMix64's finalizer: a fast 64-bit hash of a 64-bit value.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// seeds make the Hashes hash functions of a signature out of one: fixed,
// so signatures written by one run compare with those of the next.
var seeds = func() [Hashes]uint64 {
	var s [Hashes]uint64
	x := uint64(0x6e657773_66696e64) // "newsfind"
	for i := range s {
		x += 0x9e3779b97f4a7c15
		s[i] = mix(x) | 1 // odd: a multiplier of multiply-shift hashing
	}
	return s
}()
