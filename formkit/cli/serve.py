"""formkit serve: the page in the browser, for every job without the terminal."""

from __future__ import annotations

from pathlib import Path

import click

from . import cli, reports_errors


@cli.command()
@click.option("--workspace", type=click.Path(path_type=Path, file_okay=False), default=".", show_default=True,
              help="The folder to work in: your formkit.toml, register and documents.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True, help="Port to listen on.")
@click.option("--no-browser", is_flag=True, help="Do not open the browser; open the address printed yourself.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Only this computer can reach 127.0.0.1; any other is refused unless given here.")
@reports_errors
def serve(workspace: Path, port: int, no_browser: bool, host: str) -> None:
    """Open formkit's page in your browser: the register check, IEPs, letters,
    returned forms and the provision map, with the same files as the commands.
    Keep this window open while you use it; press Ctrl+C to stop."""
    from ..web import Server, is_loopback

    if not is_loopback(host):
        click.echo(f"Warning: formkit is listening on {host}, so other computers on the network can reach it. "
                   "Anyone with the address below can see pupils' data: use this only on a network you trust.",
                   err=True)
    server = Server(workspace, host=host, port=port)
    click.echo(f"formkit is running for {server.workspace.root}")
    click.echo(f"Open this address in your browser (it is private to you): {server.url}")
    click.echo("Keep this window open while you use formkit; press Ctrl+C to stop.")
    server.run(open_browser=not no_browser)
    click.echo("formkit has stopped.")
