"""QuickRupee Voice entry points: the kiosk, the bridge, the simulator and the records tool."""
