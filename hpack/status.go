package hpack

import "strconv"

// staticStatuses are the :status values of the static table, by index.
var staticStatuses = [...]struct {
	code  int
	index byte
}{{200, 8}, {204, 9}, {206, 10}, {304, 11}, {400, 12}, {404, 13}, {500, 14}}

// AppendStatus appends the :status pseudo-header field: one octet for the
// statuses of the static table, else a literal that names :status by index
// and is indexed, as other statuses (302, 201, ...) tend to recur.
func (e *Encoder) AppendStatus(dst []byte, status int) []byte {
	for _, s := range staticStatuses {
		if s.code == status {
			return append(dst, formIndexed.pattern|s.index)
		}
	}
	var digits [20]byte
	value := strconv.AppendInt(digits[:0], int64(status), 10)
	return e.appendField(dst, ":status", bytesString(value), false)
}
