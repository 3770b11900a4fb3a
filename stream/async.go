package stream

import "sync"

// Async is a Handler that runs another Handler on a goroutine of its own,
// so that the work done with a connection's bytes (decryption, parsing,
// writing out) overlaps with reading and reassembling the packets that
// follow. The wrapped Handler and its ConnHandlers see exactly the calls
// they would see without Async, in the same order, from one goroutine: a
// program whose output is made by them gives the same output.
//
// Each Data call's bytes (and Marks) are copied, in batches; the Conn a
// wrapped ConnHandler receives is its own copy, updated to the Assembler's
// counters as of each call. Memory is bounded: the Assembler waits when
// the wrapped Handler is a few batches behind.
//
// The Assembler's onClose function runs on the Assembler's goroutine,
// possibly before the wrapped ConnHandler's Close. Call Close once the
// Assembler is flushed: it returns when every call has been made. Until
// then, state the wrapped Handler keeps must not be read by other
// goroutines except from a function given to Do.
type Async struct {
	h    Handler
	cur  *asyncBatch
	full chan *asyncBatch
	free chan *asyncBatch
	done chan struct{}
	once sync.Once
	made int // batches made so far (they are made when needed)
}

// NewAsync starts the goroutine that calls h.
func NewAsync(h Handler) *Async {
	a := &Async{
		h:    h,
		full: make(chan *asyncBatch, asyncBatches-1),
		free: make(chan *asyncBatch, asyncBatches),
		done: make(chan struct{}),
	}
	a.cur, a.made = newAsyncBatch(), 1
	go a.run()
	return a
}

// Open implements Handler: the wrapped Handler's Open is called on the
// Async's goroutine. The returned ConnHandler is never nil; if the wrapped
// Open returns nil, the connection's later calls are dropped there.
func (a *Async) Open(c *Conn) ConnHandler {
	x := &asyncConn{a: a}
	ev := a.cur.next()
	ev.kind, ev.x, ev.conn = evOpen, x, *c
	a.added()
	return x
}

// Do calls fn on the Async's goroutine after the calls so far, without
// waiting for it: a way to flush the wrapped Handler's output, or to read
// its state, in step with the connections.
func (a *Async) Do(fn func()) {
	ev := a.cur.next()
	ev.kind, ev.fn = evDo, fn
	a.added()
	a.send()
}

// Close hands over the calls not yet made and waits until they have been
// made. The Async must not be used after. Calling Close again does nothing.
func (a *Async) Close() {
	a.once.Do(func() {
		a.send()
		close(a.full)
		<-a.done
	})
}

// Batches: the one being filled, those handed over and the one being
// worked on share asyncBatches, so at most that many exist.
const (
	asyncBatches    = 6
	asyncBatchBytes = 128 << 10 // a batch is handed over past this many bytes
	asyncBatchCalls = 512       // or this many calls
	asyncKeepBytes  = 4 << 20   // a batch that grew past this is not kept
)

type asyncKind uint8

const (
	evOpen asyncKind = iota
	evData
	evClose
	evDo
)

// asyncEvent is one call to make. A Data call's bytes and marks are in
// the batch, at the offsets given.
type asyncEvent struct {
	kind      asyncKind
	x         *asyncConn
	conn      Conn
	ch        Chunk // Data and Marks nil
	data, n   int
	marks, nm int
	fn        func()
}

type asyncBatch struct {
	ev    []asyncEvent
	data  []byte
	marks []AckMark
}

// newAsyncBatch makes a batch with room for the usual calls: growing it
// by appends would copy, and touch fresh memory, several times.
func newAsyncBatch() *asyncBatch {
	return &asyncBatch{ev: make([]asyncEvent, 0, asyncBatchCalls), data: make([]byte, 0, asyncBatchBytes+asyncBatchBytes/2)}
}

// asyncConn is the ConnHandler the Assembler calls; in and conn belong to
// the Async's goroutine.
type asyncConn struct {
	a    *Async
	in   ConnHandler
	conn Conn
}

func (x *asyncConn) Data(c *Conn, ch Chunk) {
	b := x.a.cur
	ev := b.next()
	ev.kind, ev.x, ev.conn, ev.ch = evData, x, *c, ch
	ev.data, ev.n, ev.marks, ev.nm = len(b.data), len(ch.Data), len(b.marks), len(ch.Marks)
	ev.ch.Data, ev.ch.Marks = nil, nil
	b.data = append(b.data, ch.Data...)
	b.marks = append(b.marks, ch.Marks...)
	x.a.added()
}

func (x *asyncConn) Close(c *Conn) {
	ev := x.a.cur.next()
	ev.kind, ev.x, ev.conn = evClose, x, *c
	x.a.added()
}

// next adds an event to the batch, zero, to be filled in place: events
// are large (416 bytes), and building one then appending it copied it
// twice. The batch's events are cleared when it comes back.
func (b *asyncBatch) next() *asyncEvent {
	if len(b.ev) < cap(b.ev) {
		b.ev = b.ev[:len(b.ev)+1]
	} else {
		b.ev = append(b.ev, asyncEvent{})
	}
	return &b.ev[len(b.ev)-1]
}

// added hands the batch over once the call just queued makes it large
// enough.
func (a *Async) added() {
	b := a.cur
	if len(b.ev) >= asyncBatchCalls || len(b.data) >= asyncBatchBytes {
		a.send()
	}
}

// send hands the current batch over (if it holds anything) and takes a
// free one, or makes one, or waits for one when the Async's goroutine is
// behind.
func (a *Async) send() {
	if len(a.cur.ev) == 0 {
		return
	}
	a.full <- a.cur
	select {
	case a.cur = <-a.free:
	default:
		if a.made < asyncBatches {
			a.made++
			a.cur = newAsyncBatch()
		} else {
			a.cur = <-a.free
		}
	}
}

// run makes the calls, batch by batch, in order.
func (a *Async) run() {
	defer close(a.done)
	for b := range a.full {
		for i := range b.ev {
			ev := &b.ev[i]
			x := ev.x
			switch ev.kind {
			case evOpen:
				x.conn = ev.conn
				x.in = a.h.Open(&x.conn)
			case evData:
				if x.in == nil {
					continue
				}
				x.conn = ev.conn
				ch := ev.ch
				if ev.n > 0 {
					ch.Data = b.data[ev.data : ev.data+ev.n : ev.data+ev.n]
				}
				if ev.nm > 0 {
					ch.Marks = b.marks[ev.marks : ev.marks+ev.nm : ev.marks+ev.nm]
				}
				x.in.Data(&x.conn, ch)
			case evClose:
				if x.in == nil {
					continue
				}
				x.conn = ev.conn
				x.in.Close(&x.conn)
				x.in = nil
			case evDo:
				ev.fn()
			}
		}
		clear(b.ev) // drop the references for the collector
		b.ev = b.ev[:0]
		b.data, b.marks = b.data[:0], b.marks[:0]
		if cap(b.data) > asyncKeepBytes {
			b.data = make([]byte, 0, asyncBatchBytes+asyncBatchBytes/2)
		}
		a.free <- b
	}
}
