// Package slab hands out pointers to the elements of chunks it allocates, so that
// thousands of small objects made during one parse or one interpreter run cost a few
// dozen allocations instead of thousands.
package slab

// Slab makes values of type T; the zero Slab is ready to use. The chunks grow from 8
// to 512 elements, and each lives as long as any pointer into it.
type Slab[T any] struct{ buf []T }

// New returns a pointer to a new zero T.
func (s *Slab[T]) New() *T {
	if len(s.buf) == cap(s.buf) {
		s.buf = make([]T, 0, min(max(2*cap(s.buf), 8), 512))
	}
	s.buf = s.buf[:len(s.buf)+1]
	return &s.buf[len(s.buf)-1]
}
