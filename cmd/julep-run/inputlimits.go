package main

import (
	"bufio"
	"errors"
	"fmt"

	"github.com/julepkit/julep/engine"
)

// Input limits of eval --vars and of each eval --batch line.
const (
	// maxInputBytes is the largest --vars document or --batch line: 16 MiB.
	maxInputBytes = 16 << 20
	// maxInputItems is the most items one JSON array or object of the input
	// may hold: the engine's own cap on collections.
	maxInputItems = engine.DefaultMaxCollectionLen
)

// errLineTooLong is the error of a --batch line over maxInputBytes.
var errLineTooLong = fmt.Errorf("input line is larger than %d bytes (the limit of one --batch line)", maxInputBytes)

// checkInput checks a JSON input against the limits before it is decoded:
// its size, and the number of items of each array and object (counted on
// the bytes, outside strings, in linear time).
func checkInput(data []byte) error {
	if len(data) > maxInputBytes {
		return fmt.Errorf("input is larger than %d bytes", maxInputBytes)
	}
	var commas []int // per open array/object
	inString, escaped := false, false
	for _, c := range data {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '[' || c == '{':
			commas = append(commas, 0)
		case c == ']' || c == '}':
			if len(commas) > 0 {
				commas = commas[:len(commas)-1]
			}
		case c == ',' && len(commas) > 0:
			commas[len(commas)-1]++
			if commas[len(commas)-1] >= maxInputItems {
				return fmt.Errorf("a JSON array or object of the input has more than %d items (the engine's collection limit)", maxInputItems)
			}
		}
	}
	return nil
}

// readLine reads one line of at most maxInputBytes from r (newline
// included). A longer line is consumed to its end and reported as
// errLineTooLong, so the next read starts at the next line.
func readLine(r *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if len(line)+len(chunk) > maxInputBytes {
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = r.ReadSlice('\n')
			}
			if err != nil && len(chunk) == 0 {
				return nil, err
			}
			return nil, errLineTooLong
		}
		line = append(line, chunk...)
		if !errors.Is(err, bufio.ErrBufferFull) {
			return line, err
		}
	}
}
