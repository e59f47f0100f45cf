package cases

// qmiscCases are the conformance cases of the misc kernels: SSD's
// TFLite_Detection_PostProcess (detpp_) and the LSTM family (lstm_,
// q_lstm_).
func qmiscCases() []*Case {
	var all []*Case
	all = append(all, detppCases()...)
	all = append(all, lstmCases()...)
	return all
}
