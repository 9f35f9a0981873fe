// Package slab hands out pointers to the elements of chunks it allocates, so that
// thousands of small objects made during one parse or one interpreter run cost a few
// dozen allocations instead of thousands. A slab keeps its chunks, and Reset hands them
// out again, zeroed: a parser that recycles its slabs allocates nothing for the nodes of
// a tree no larger than the ones before it.
package slab

// Slab makes values of type T; the zero Slab is ready to use. The chunks grow from 8
// to 512 elements (Slice may make larger ones).
type Slab[T any] struct {
	chunks [][]T // chunks[cur][:n] and all chunks before it are in use
	cur    int
	n      int
	used   int // elements in chunks before cur
}

// New returns a pointer to a new zero T.
func (s *Slab[T]) New() *T {
	if s.cur < len(s.chunks) {
		if c := s.chunks[s.cur]; s.n < len(c) {
			s.n++
			return &c[s.n-1]
		}
	}
	return &s.next(1)[0]
}

// Slice returns n new zero elements, contiguous; appending to the slice reallocates it.
func (s *Slab[T]) Slice(n int) []T {
	if s.cur < len(s.chunks) {
		if c := s.chunks[s.cur]; len(c)-s.n >= n {
			s.n += n
			return c[s.n-n : s.n : s.n]
		}
	}
	return s.next(n)[:n:n]
}

// next moves to the next chunk with room for n elements, allocating it if need be, and
// takes n elements from its start.
func (s *Slab[T]) next(n int) []T {
	if s.cur < len(s.chunks) {
		s.used += s.n
		s.cur++
	}
	size := 8
	if s.cur > 0 {
		size = min(2*len(s.chunks[s.cur-1]), 512)
	}
	size = max(size, n)
	switch {
	case s.cur == len(s.chunks):
		s.chunks = append(s.chunks, make([]T, size))
	case len(s.chunks[s.cur]) < n:
		s.chunks[s.cur] = make([]T, size)
	}
	s.n = n
	return s.chunks[s.cur]
}

// Len returns the number of elements handed out since the slab was made or reset.
func (s *Slab[T]) Len() int { return s.used + s.n }

// Reset zeroes every element handed out and makes the slab hand them out again. No
// pointer obtained before may be used afterwards.
func (s *Slab[T]) Reset() {
	for i := 0; i < s.cur && i < len(s.chunks); i++ {
		clear(s.chunks[i])
	}
	if s.cur < len(s.chunks) {
		clear(s.chunks[s.cur][:s.n])
	}
	s.cur, s.n, s.used = 0, 0, 0
}
