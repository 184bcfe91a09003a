let _x = 0
