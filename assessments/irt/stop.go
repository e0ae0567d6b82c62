package irt

// stopRule applies the length and precision rules to a test of n answers
// whose global estimate has standard error se. Running out of items is
// decided by selection, not here.
func (e *Engine) stopRule(n int, se float64) StopReason {
	c := &e.cfg
	if n >= c.MaxLength {
		return StopMaxLength
	}
	if c.SETarget > 0 && n >= c.MinLength && se < c.SETarget {
		return StopPrecision
	}
	return Running
}
