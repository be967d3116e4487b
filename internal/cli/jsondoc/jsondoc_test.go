package jsondoc

import (
	"strings"
	"testing"
)

func TestDecodeKeepsOrder(t *testing.T) {
	v, err := Decode([]byte(`{"b":1,"a":[true,null,"x"],"c":{"z":1,"y":2}}`))
	if err != nil {
		t.Fatal(err)
	}
	o := v.(*Object)
	if got := strings.Join(o.Keys(), ","); got != "b,a,c" {
		t.Errorf("keys %s, want b,a,c", got)
	}
}

func TestDecodeDepth(t *testing.T) {
	ok := strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth)
	if _, err := Decode([]byte(ok)); err != nil {
		t.Errorf("nesting %d levels: %v", MaxDepth, err)
	}
	for _, depth := range []int{MaxDepth + 1, 200000} {
		deep := strings.Repeat("[", depth) + strings.Repeat("]", depth)
		if _, err := Decode([]byte(deep)); err == nil || !strings.Contains(err.Error(), "deeper than") {
			t.Errorf("nesting %d levels: err = %v, want one saying the document is too deep", depth, err)
		}
	}
}
