from symproof.cli import main

raise SystemExit(main())
