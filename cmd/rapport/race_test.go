//go:build race

package main

// raceEnabled: the race detector makes reading large files ten times slower.
const raceEnabled = true
