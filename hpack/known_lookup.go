package hpack

// knownLookup finds a name's knownName without a map: an open-addressed
// table hashed on the name's length and its first and last octets, which
// tell the ~70 known names apart in nearly every case, then one string
// comparison. Encoding a response looks up every field name, so this is
// on the hot path; the map it replaces spent more time hashing than the
// encoder spent encoding.
var knownLookup = func() (t knownTable) {
	for name, k := range knownNames {
		i := knownHash(name)
		for t.names[i] != "" {
			i = (i + 1) & (knownSlots - 1)
		}
		t.names[i], t.known[i] = name, k
	}
	return t
}()

const knownSlots = 256 // a power of two, over 3× the names

type knownTable struct {
	names [knownSlots]string
	known [knownSlots]knownName
}

func knownHash(name string) uint {
	if name == "" {
		return 0
	}
	return (uint(len(name))*31 + uint(name[0])*7 + uint(name[len(name)-1])) & (knownSlots - 1)
}

// get returns what the encoder knows of name (the zero knownName if
// nothing).
func (t *knownTable) get(name string) knownName {
	for i := knownHash(name); ; i = (i + 1) & (knownSlots - 1) {
		switch t.names[i] {
		case name:
			return t.known[i]
		case "":
			return knownName{}
		}
	}
}
