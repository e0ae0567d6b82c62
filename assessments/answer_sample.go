package assessments

// SampleAnswer returns an answer that is right (or wrong) for the challenge.
// It serves simulated candidates (tests, the load generator); the solution
// itself is never sent to a client.
func (c *Challenge) SampleAnswer(right bool) Answer {
	switch c.Type {
	case TypeQCU:
		if right {
			return Answer{Choice: c.choice}
		}
		for _, p := range c.Proposals {
			if p.ID != c.choice {
				return Answer{Choice: p.ID}
			}
		}
	case TypeQCM:
		if right {
			return Answer{Choices: append([]string(nil), c.choices...)}
		}
		return Answer{Choices: c.choices[:1]}
	case TypeQROC:
		if right {
			return Answer{Text: c.answers[0]}
		}
		return Answer{Text: "réponse certainement fausse"}
	case TypeQROCM:
		fields := map[string]string{}
		for _, f := range c.Fields {
			fields[f.ID] = "réponse certainement fausse"
			if right {
				fields[f.ID] = c.fieldAn[f.ID][0]
			}
		}
		return Answer{Fields: fields}
	}
	return Answer{Skipped: true}
}
