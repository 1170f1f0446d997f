"""The main window and what only it knows: which screens it holds, the menus, the layout, starting up."""
