module github.com/license-manager/license-manager

go 1.26.8
