package decode

// wifiStep decodes an 802.11 or capture-header step.
func (j *JSONWriter) wifiStep(step jsonStep, data []byte) (jsonStep, []byte, error) {
	return jsonStepPayload, data, nil
}
