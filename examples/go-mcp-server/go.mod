module example.com/weather-mcp

go 1.23
