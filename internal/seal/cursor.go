package seal

import (
	"encoding/json"
	"fmt"
)

// cursor is what a sealed NextToken holds: the last key of the page before
// and the digest of the listing it belongs to.
type cursor struct {
	After     string `json:"after"`
	Selection string `json:"sel"`
}

// SealCursor returns the NextToken of a paged listing that continues after
// the key after. purpose names the listing and its owner (for example
// "ListTokens:" and the account); selection digests its parameters, so
// that the token is good for that listing only.
func (s *Sealer) SealCursor(purpose, selection, after string) string {
	b, err := json.Marshal(cursor{After: after, Selection: selection})
	if err != nil {
		panic("seal: encode cursor: " + err.Error()) // two strings always encode
	}
	return s.Seal(purpose, b)
}

// OpenCursor returns the key a NextToken made by SealCursor continues
// after. A token made by another key or for another purpose, altered, or
// made for another selection is ErrInvalid.
func (s *Sealer) OpenCursor(purpose, selection, nextToken string) (string, error) {
	plain, err := s.Open(purpose, nextToken)
	if err != nil {
		return "", err
	}
	var c cursor
	if err := json.Unmarshal(plain, &c); err != nil || c.Selection != selection {
		return "", fmt.Errorf("%w: it belongs to a listing with other parameters", ErrInvalid)
	}
	return c.After, nil
}
