package server

import (
	_ "embed"
	"net/http"
)

// OpenAPI is the OpenAPI 3.1 description of searchd's HTTP API, served at
// /api/openapi.json. It is the one copy: the tests check real responses
// of a real server against it, so it cannot drift from the handlers.
//
//go:embed openapi.json
var OpenAPI []byte

// serveOpenAPI answers with the OpenAPI document.
func serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(OpenAPI) // a failed write means the client left
}
