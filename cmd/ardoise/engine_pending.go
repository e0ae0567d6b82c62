package main

import (
	"errors"
	"io"
)

func runSimulate(args []string, stdout, stderr io.Writer) error  { return errors.New("not yet") }
func runCalibrate(args []string, stdout, stderr io.Writer) error { return errors.New("not yet") }
