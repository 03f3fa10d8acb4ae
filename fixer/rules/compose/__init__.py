"""The Compose rules, one module each (ids DCxxx), in the one registry with kind "compose".
They read a fixer.syntax.compose.ComposeDocument as the checker's tree."""
