// Package python reproduces what the aws CLI, a Python program, prints
// through Python itself: the repr of a string, and the messages of its
// json module for text that is not JSON.
package python
