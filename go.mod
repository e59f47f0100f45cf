module github.com/edgelite/edgelite

go 1.26

require (
	github.com/google/flatbuffers v25.12.19+incompatible
	github.com/stretchr/testify v1.12.1
	golang.org/x/sys v0.38.0
)

require go.yaml.in/yaml/v3 v3.0.5 // indirect
