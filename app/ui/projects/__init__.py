"""改造项目 screens: project list, project page, on-site acceptance, certificates."""
