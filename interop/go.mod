module github.com/golws/golws/interop

go 1.26.0

require (
	github.com/coder/websocket v1.8.15
	github.com/golws/golws v0.0.0
	github.com/gorilla/websocket v1.5.3
	golang.org/x/net v0.62.0
)

require (
	github.com/klauspost/compress v1.20.4 // indirect
	github.com/valyala/bytebufferpool v1.0.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
	golang.org/x/text v0.43.0 // indirect
)

replace github.com/golws/golws => ../
