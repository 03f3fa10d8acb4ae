// weather-mcp is a minimal MCP server speaking JSON-RPC 2.0 over stdio, one message per line.
// It uses only the standard library, so it builds without network access.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
)

type request struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id,omitempty"`
	Method  string          `json:"method"`
}

type response struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Result  any             `json:"result,omitempty"`
	Error   *rpcError       `json:"error,omitempty"`
}

type rpcError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func result(method string) (any, *rpcError) {
	switch method {
	case "initialize":
		return map[string]any{
			"protocolVersion": "2025-06-18",
			"capabilities":    map[string]any{"tools": map[string]any{}},
			"serverInfo":      map[string]any{"name": "weather-mcp", "version": "0.1.0"},
		}, nil
	case "tools/list":
		return map[string]any{"tools": []any{map[string]any{
			"name":        "forecast",
			"description": "Tomorrow's weather for a city",
			"inputSchema": map[string]any{"type": "object", "properties": map[string]any{"city": map[string]any{"type": "string"}}},
		}}}, nil
	}
	return nil, &rpcError{Code: -32601, Message: "method not found: " + method}
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		var req request
		if err := json.Unmarshal(in.Bytes(), &req); err != nil {
			fmt.Fprintln(os.Stderr, "weather-mcp: bad message:", err)
			continue
		}
		if req.ID == nil { // a notification: no answer
			continue
		}
		res, rpcErr := result(req.Method)
		if err := out.Encode(response{JSONRPC: "2.0", ID: req.ID, Result: res, Error: rpcErr}); err != nil {
			os.Exit(1)
		}
	}
}
