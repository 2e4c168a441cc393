package h2_test

import (
	"fmt"

	"github.com/golws/golws/h2"
)

// A role's read loop: frames come out of the received bytes one by one,
// each checked against the field block rule and then by its type's parser.
func ExampleReadFrame() {
	received := h2.AppendSettings(nil, h2.Setting{ID: h2.SettingMaxConcurrentStreams, Val: 100})
	received = h2.AppendWindowUpdate(received, 0, 1<<20)
	data := h2.AppendData(nil, 1, true, []byte("hi"))
	received = append(received, data[:5]...) // the rest of this DATA frame is still on its way

	var blocks h2.FieldBlockTracker
	for {
		fh, payload, n, err := h2.ReadFrame(received, h2.DefaultMaxFrameSize)
		if err == nil && n > 0 {
			err = blocks.Check(fh)
		}
		if err != nil || n == 0 {
			fmt.Println("stop:", err, len(received), "octets kept for later")
			return
		}
		received = received[n:]
		switch fh.Type {
		case h2.FrameSettings:
			it, err := h2.ParseSettings(fh, payload)
			for s, ok := it.Next(); ok; s, ok = it.Next() {
				fmt.Println(s.ID, s.Val, err)
			}
		case h2.FrameWindowUpdate:
			inc, err := h2.ParseWindowUpdate(fh, payload)
			fmt.Println("window update", fh.StreamID, inc, err)
		}
	}
	// Output:
	// SETTINGS_MAX_CONCURRENT_STREAMS 100 <nil>
	// window update 0 1048576 <nil>
	// stop: <nil> 5 octets kept for later
}
