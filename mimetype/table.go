package mimetype

// Default is the type to send when [Lookup] knows nothing better. It tells
// browsers to download rather than sniff and render.
const Default = "application/octet-stream"

// Text types carry "; charset=utf-8": without it browsers guess, and a guess
// is both a rendering bug and, historically, a cross-site scripting vector.
// JSON and its relatives carry no charset because their registrations
// define none (RFC 8259 fixes UTF-8).
const (
	utf8Text = "; charset=utf-8"
	jsonType = "application/json"
)

// builtin is the table every process starts with. Keys are lower-case
// extensions including the dot, the form [Register] normalizes to.
var builtin = map[string]string{
	// Documents and code.
	".html":        "text/html" + utf8Text,
	".htm":         "text/html" + utf8Text,
	".xhtml":       "application/xhtml+xml",
	".css":         "text/css" + utf8Text,
	".js":          "text/javascript" + utf8Text, // RFC 9239
	".mjs":         "text/javascript" + utf8Text,
	".json":        jsonType,
	".map":         jsonType, // source maps
	".jsonld":      "application/ld+json",
	".webmanifest": "application/manifest+json",
	".txt":         "text/plain" + utf8Text,
	".text":        "text/plain" + utf8Text,
	".csv":         "text/csv" + utf8Text,
	".tsv":         "text/tab-separated-values" + utf8Text,
	".md":          "text/markdown" + utf8Text,
	".markdown":    "text/markdown" + utf8Text,
	".xml":         "text/xml" + utf8Text,
	".xsl":         "text/xml" + utf8Text,
	".rss":         "application/rss+xml",
	".atom":        "application/atom+xml",
	".yaml":        "application/yaml", // RFC 9512
	".yml":         "application/yaml",
	".toml":        "application/toml",
	".ics":         "text/calendar" + utf8Text,
	".vtt":         "text/vtt" + utf8Text,
	".wasm":        "application/wasm",
	".pdf":         "application/pdf",
	".rtf":         "application/rtf",

	// Images.
	".png":  "image/png",
	".apng": "image/apng",
	".jpg":  "image/jpeg",
	".jpeg": "image/jpeg",
	".jpe":  "image/jpeg",
	".gif":  "image/gif",
	".webp": "image/webp",
	".avif": "image/avif",
	".svg":  "image/svg+xml",
	".svgz": "image/svg+xml",
	".ico":  "image/vnd.microsoft.icon",
	".bmp":  "image/bmp",
	".tif":  "image/tiff",
	".tiff": "image/tiff",
	".jxl":  "image/jxl",
	".heic": "image/heic",

	// Fonts.
	".woff":  "font/woff",
	".woff2": "font/woff2",
	".ttf":   "font/ttf",
	".otf":   "font/otf",
	".eot":   "application/vnd.ms-fontobject",

	// Audio and video.
	".mp3":  "audio/mpeg",
	".ogg":  "audio/ogg",
	".oga":  "audio/ogg",
	".opus": "audio/ogg",
	".wav":  "audio/wav",
	".flac": "audio/flac",
	".aac":  "audio/aac",
	".m4a":  "audio/mp4",
	".weba": "audio/webm",
	".mid":  "audio/midi",
	".midi": "audio/midi",
	".mp4":  "video/mp4",
	".m4v":  "video/mp4",
	".webm": "video/webm",
	".ogv":  "video/ogg",
	".mov":  "video/quicktime",
	".mkv":  "video/x-matroska",
	".avi":  "video/x-msvideo",
	".mpeg": "video/mpeg",
	".ts":   "video/mp2t",
	".m3u8": "application/vnd.apple.mpegurl",
	".mpd":  "application/dash+xml",

	// Archives and compressed data.
	".zip": "application/zip",
	".gz":  "application/gzip",
	".tgz": "application/gzip",
	".br":  "application/x-brotli",
	".zst": "application/zstd",
	".xz":  "application/x-xz",
	".bz2": "application/x-bzip2",
	".tar": "application/x-tar",
	".7z":  "application/x-7z-compressed",
	".jar": "application/java-archive",
	".bin": Default,
}
