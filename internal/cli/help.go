package cli

import (
	"fmt"

	"github.com/license-manager/license-manager/internal/cli/help"
	"github.com/license-manager/license-manager/internal/model"
)

func overviewHelp(env Env) int {
	help.Overview(env.Stdout, model.LicenseManager(), commandNames())
	return ExitOK
}

func commandHelp(env Env, name string, op *model.Operation) int {
	if err := help.Command(env.Stdout, name, op); err != nil {
		fmt.Fprintf(env.Stderr, "\n%v\n", err)
		return ExitOther
	}
	return ExitOK
}
