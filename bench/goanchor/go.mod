module goanchor

go 1.19

require (
	github.com/docker/go-connections v0.6.0 // indirect
	github.com/docker/go-plugins-helpers v0.0.0-20240701071450-45e2431495c8
)
