package community

import (
	"context"
	"errors"
	"time"
)

// View counts are buffered in memory and written by $inc every
// viewFlushCount views or viewFlushAge of a thread, whichever comes first,
// on the request that reaches it: most thread pages then cost no write.
// A ticker of the service writes what is buffered every viewFlushAge, and
// Close writes the rest, so that a thread seen once is counted too. A
// crash loses at most the buffered views, which only feed a counter.
const (
	viewFlushCount = 10
	viewFlushAge   = 10 * time.Second
)

// countView counts a view of a thread. A count it cannot write (the
// thread's lock busy with replies, the store slow) goes back to the buffer
// for the ticker: a reader never gets an error for a counter.
func (s *Service) countView(ctx context.Context, threadID string) {
	if n, err := s.bufferView(ctx, threadID); err != nil {
		s.logger.Warn("community: count views; kept for the next flush", "thread", threadID, "err", err)
		s.mu.Lock()
		s.views[threadID] += n
		if _, ok := s.viewSince[threadID]; !ok {
			s.viewSince[threadID] = time.Now()
		}
		s.mu.Unlock()
	}
}

// bufferView adds a view to the buffer and writes the thread's buffered
// views when they are due; on a failed write it returns how many it held.
func (s *Service) bufferView(ctx context.Context, threadID string) (int, error) {
	s.mu.Lock()
	if len(s.views) > 100000 { // bound the memory: a few counts are lost
		clear(s.views)
		clear(s.viewSince)
	}
	s.views[threadID]++
	n := s.views[threadID]
	since, ok := s.viewSince[threadID]
	if !ok {
		since = time.Now()
		s.viewSince[threadID] = since
	}
	if n < viewFlushCount && time.Since(since) < viewFlushAge {
		s.mu.Unlock()
		return 0, nil
	}
	delete(s.views, threadID)
	delete(s.viewSince, threadID)
	s.mu.Unlock()
	if err := s.store.IncViews(ctx, threadID, n); err != nil {
		return n, err
	}
	s.outbox.After(ctx, ThreadsCollection, threadID, markerList) // the list's count of views, by the worker: not on a reader's request
	return n, nil
}

// FlushViews writes every buffered view count. A count whose write fails
// goes back to the buffer for the next flush.
func (s *Service) FlushViews(ctx context.Context) error {
	s.mu.Lock()
	views := s.views
	s.views, s.viewSince = map[string]int{}, map[string]time.Time{}
	s.mu.Unlock()
	var errs []error
	for id, n := range views {
		if err := s.store.IncViews(ctx, id, n); err != nil {
			errs = append(errs, err)
			s.mu.Lock()
			s.views[id] += n
			if _, ok := s.viewSince[id]; !ok {
				s.viewSince[id] = time.Now()
			}
			s.mu.Unlock()
			continue
		}
		s.outbox.After(ctx, ThreadsCollection, id, markerList)
	}
	return errors.Join(errs...)
}

// flushViewsEvery writes the buffered view counts every period until Close.
func (s *Service) flushViewsEvery(period time.Duration) {
	defer close(s.viewsDone)
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		select {
		case <-s.stopViews:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), period)
			if err := s.FlushViews(ctx); err != nil {
				s.logger.Warn("community: flush views", "err", err)
			}
			cancel()
		}
	}
}

// Close stops the service's view ticker and writes the view counts still
// buffered; the store and the claims must still be open. Calling it again
// only flushes.
func (s *Service) Close(ctx context.Context) error {
	s.closeOnce.Do(func() {
		close(s.stopViews)
		<-s.viewsDone
	})
	return s.FlushViews(ctx)
}
