package output

// What the syntax tree of a --query expression tells that go-jmespath's
// results and errors do not: the key order of each multiselect hash, and
// the function an evaluation error is about.

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/jmespath/go-jmespath"
)

// astNode is a node of go-jmespath's syntax tree, read out of it.
type astNode struct {
	typ      int64 // one of go-jmespath's AST constants
	value    any
	children []*astNode
}

// parseAST parses expr into astNodes, or returns nil.
//
// go-jmespath exports its parser but not the fields of the AST it builds,
// so the tree is read by reflection; TestQueryHashOrder and
// TestQuerySearchErrors fail if a new release renames them.
func parseAST(expr string) *astNode {
	ast, err := jmespath.NewParser().Parse(expr)
	if err != nil {
		return nil
	}
	var read func(n reflect.Value) *astNode
	read = func(n reflect.Value) *astNode {
		typ, val, kids := n.FieldByName("nodeType"), n.FieldByName("value"), n.FieldByName("children")
		if !typ.IsValid() || !kids.IsValid() || !val.IsValid() {
			return nil
		}
		node := &astNode{typ: typ.Int()}
		if val.Kind() == reflect.Interface && val.Elem().Kind() == reflect.String {
			node.value = val.Elem().String()
		}
		for i := 0; i < kids.Len(); i++ {
			if kid := read(kids.Index(i)); kid != nil {
				node.children = append(node.children, kid)
			}
		}
		return node
	}
	return read(reflect.ValueOf(ast))
}

// postOrder calls visit for every node of n, children first, the order in
// which a function's arguments are evaluated before the function.
func (n *astNode) postOrder(visit func(*astNode)) {
	if n == nil {
		return
	}
	for _, kid := range n.children {
		kid.postOrder(visit)
	}
	visit(n)
}

// hashKeyOrders returns, for each multiselect hash in expr, its keys in the
// order written (a repeated key counts once, at its first place).
func hashKeyOrders(expr string) [][]string {
	var orders [][]string
	parseAST(expr).postOrder(func(n *astNode) {
		if n.typ != int64(jmespath.ASTMultiSelectHash) {
			return
		}
		var keys []string
		for _, kid := range n.children {
			if k, ok := kid.value.(string); ok && !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
		orders = append(orders, keys)
	})
	return orders
}

// jmespathFunction is the signature of a built-in function.
type jmespathFunction struct {
	args     [][]string
	variadic bool
}

// functionCalls calls visit for each call of a built-in function in expr,
// in the order they are evaluated.
func functionCalls(expr string, visit func(name string, fn jmespathFunction, n *astNode)) {
	parseAST(expr).postOrder(func(n *astNode) {
		name, _ := n.value.(string)
		if fn, ok := jmespathFunctions[name]; ok && n.typ == int64(jmespath.ASTFunctionExpression) {
			visit(name, fn, n)
		}
	})
}

// jmespathFunctions lists the arguments of JMESPath's built-in functions
// as Python's jmespath declares them: their count (at least that many for
// a variadic function) and the types each accepts.
var jmespathFunctions = map[string]jmespathFunction{
	"abs": {args: [][]string{{"number"}}}, "avg": {args: [][]string{{"array-number"}}},
	"ceil": {args: [][]string{{"number"}}}, "contains": {args: [][]string{{"array", "string"}, {}}},
	"ends_with": {args: [][]string{{"string"}, {"string"}}}, "floor": {args: [][]string{{"number"}}},
	"join": {args: [][]string{{"string"}, {"array-string"}}}, "keys": {args: [][]string{{"object"}}},
	"length": {args: [][]string{{"string", "array", "object"}}}, "map": {args: [][]string{{"expref"}, {"array"}}},
	"max": {args: [][]string{{"array-number", "array-string"}}}, "max_by": {args: [][]string{{"array"}, {"expref"}}},
	"merge": {args: [][]string{{"object"}}, variadic: true}, "min": {args: [][]string{{"array-number", "array-string"}}},
	"min_by": {args: [][]string{{"array"}, {"expref"}}}, "not_null": {args: [][]string{{}}, variadic: true},
	"reverse": {args: [][]string{{"array", "string"}}}, "sort": {args: [][]string{{"array-string", "array-number"}}},
	"sort_by": {args: [][]string{{"array"}, {"expref"}}}, "starts_with": {args: [][]string{{"string"}, {"string"}}},
	"sum": {args: [][]string{{"array-number"}}}, "to_array": {args: [][]string{{}}},
	"to_string": {args: [][]string{{}}}, "to_number": {args: [][]string{{}}},
	"type": {args: [][]string{{}}}, "values": {args: [][]string{{"object"}}},
}

var goTypeError = regexp.MustCompile(`^Invalid type for: (.*), expected: \[\]jmespath\.jpType\{(.*)\}$`)

// searchError words an error of evaluating expr as the aws CLI's JMESPath
// does where go-jmespath's error says enough to: an unknown function, a
// wrong number of arguments, an argument of the wrong type, a slice step
// of 0. Other errors keep go-jmespath's words.
func searchError(expr string, err error) error {
	msg := err.Error()
	switch {
	case strings.HasPrefix(msg, "unknown function: "):
		return fmt.Errorf("Unknown function: %s()", strings.TrimPrefix(msg, "unknown function: "))
	case msg == "Invalid slice, step cannot be 0":
		return errors.New("slice step cannot be zero")
	case msg == "incorrect number of args" || msg == "Invalid arity.":
		var found error
		functionCalls(expr, func(name string, fn jmespathFunction, n *astNode) {
			if found != nil {
				return
			}
			want, got := len(fn.args), len(n.children)
			plural := "s"
			if want == 1 {
				plural = ""
			}
			switch {
			case fn.variadic && got < want:
				found = fmt.Errorf("Expected at least %d argument%s for function %s(), received %d", want, plural, name, got)
			case !fn.variadic && got != want:
				found = fmt.Errorf("Expected %d argument%s for function %s(), received %d", want, plural, name, got)
			}
		})
		if found != nil {
			return found
		}
	case goTypeError.MatchString(msg):
		m := goTypeError.FindStringSubmatch(msg)
		value, types := m[1], strings.NewReplacer(`"`, "'", "[number]", "-number", "[string]", "-string").Replace(m[2])
		// The function is the first whose argument takes exactly these
		// types; go-jmespath does not name it.
		var name string
		functionCalls(expr, func(fname string, fn jmespathFunction, _ *astNode) {
			for _, arg := range fn.args {
				if name == "" && "'"+strings.Join(arg, "', '")+"'" == types {
					name = fname
				}
			}
		})
		if name != "" {
			// Scalars print as Python prints them; a list or an object
			// stays in Go's form, which is all the error holds.
			typ := goValueType(value)
			switch typ {
			case "null":
				value = "None"
			case "boolean":
				value = strings.ToUpper(value[:1]) + value[1:]
			}
			return fmt.Errorf("In function %s(), invalid type for value: %s, expected one of: [%s], received: %q",
				name, value, types, typ)
		}
	}
	return err
}

// goValueType guesses the JMESPath type of a value from the way go-jmespath
// printed it (with %v).
func goValueType(printed string) string {
	switch {
	case printed == "<nil>":
		return "null"
	case printed == "true" || printed == "false":
		return "boolean"
	case strings.HasPrefix(printed, "map["):
		return "object"
	case strings.HasPrefix(printed, "["):
		return "array"
	}
	if _, err := strconv.ParseFloat(printed, 64); err == nil {
		return "number"
	}
	return "string"
}
